/**
 * Kill harness: the compiled CLI is killed (SIGKILL, and SIGINT as an operator's
 * Ctrl-C) at many points of a backup and of a restore. Each point is a named
 * pause point in the code (source/util/pause-point.ts): the run stops itself
 * there and is signalled where it stands, so every point is hit on every run.
 *
 * Points are run as chains: the run that resumes after one kill is itself
 * killed at the next, later point, in the same folder (or the same target
 * cluster); the last run of a chain goes to the end. After every kill nothing
 * incomplete may carry a final name and the manifest is absent or whole; at
 * the end of every chain the backup verifies (and holds exactly the cluster's
 * objects), or every object of the backup is back in the new cluster.
 */
import assert from 'node:assert/strict';
import { cp, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readManifest, type Manifest } from '../../source/archive/manifest.js';
import { startDemoCluster, type DemoCluster } from '../../source/demo/cluster.js';
import { connectionFlags } from '../support/cli.js';
import { runToEnd, spawnCli, type Exit } from './harness/cli.js';
import { objectsPresentAndExact, s3For, sourceWithBackup } from './harness/demo.js';
import { assertBackupFolderSound, hasTemporary, journalLines, referenceOf } from './harness/folder.js';

let root: string;
let source: DemoCluster;
let reference: Map<string, string>;
let cleanBackup: string;
const tally = { backup: 0, restore: 0, sigint: 0, sigkill: 0 };

before(async () => {
	({ root, source, backup: cleanBackup } = await sourceWithBackup('rel-kill-', 'clean'));
	reference = referenceOf(await readManifest(cleanBackup));
});

after(async () => {
	await source?.stop();
	await rm(root, { recursive: true, force: true });
	process.stderr.write(`# kill points: ${tally.backup + tally.restore} (${tally.backup} in backups, ${tally.restore} in restores; ${tally.sigkill} SIGKILL, ${tally.sigint} SIGINT)\n`);
});

/**
 * A place in the run's own work (a pause point, source/util/pause-point.ts):
 * `<name>[#<n>]` is the n-th time this run passes it.
 */
interface KillPoint {
	at: string;
	signal: 'SIGKILL' | 'SIGINT';
}

const at = (point: string, signal: KillPoint['signal']): KillPoint => ({ at: point, signal });

const BACKUP_CHAINS: KillPoint[][] = [
	[
		at('backup connect', 'SIGKILL'),
		// The first object written whole to its temporary name, not yet renamed.
		at('download temporary', 'SIGKILL'),
		// Just renamed to its final name, not yet journaled.
		at('download saved', 'SIGKILL'),
		at('download saved#10', 'SIGKILL'),
		at('download bucket registry', 'SIGKILL'),
		// The first block of tar's stream, on its way to the temporary file.
		at('streaming store_file_backup.tar.gz', 'SIGKILL'),
		at('streaming dump_all.sql', 'SIGKILL'),
		at('backup manifest', 'SIGKILL'),
	],
	[
		at('backup keys', 'SIGINT'),
		at('download temporary', 'SIGINT'),
		at('download saved#10', 'SIGINT'),
		at('journaled registry#10', 'SIGINT'),
		at('streaming store_file_backup.tar.gz', 'SIGINT'),
		at('streaming dump_all.sql', 'SIGINT'),
	],
	[
		at('journaled db_wal#5', 'SIGKILL'),
		at('journaled registry#20', 'SIGKILL'),
		at('download saved#15', 'SIGINT'),
		at('committed store_file_backup.tar.gz', 'SIGKILL'),
		at('backup database', 'SIGINT'),
		at('manifest written', 'SIGKILL'),
	],
];

/**
 * Runs until the run stops itself at the point, then signals it there. Every
 * point must be reached: a run that ends first fails the test.
 */
async function killAt(args: string[], point: KillPoint, context: string): Promise<Exit> {
	const run = spawnCli(args, { pauseAt: point.at });
	const paused = await run.paused;
	if (paused === undefined) {
		const exit = await run.exited;
		assert.fail(`${context}: the run ended (exit ${exit.code ?? exit.signal}) without reaching the point\n${exit.stderr}`);
	}
	assert.equal(paused, point.at.replace(/#\d+$/, ''), context);
	if (point.signal === 'SIGINT') {
		const exit = await run.resumeWith('SIGINT');
		tally.sigint++;
		assertInterruptedCleanly(exit, context);
		return exit;
	}
	const exit = await run.kill('SIGKILL');
	tally.sigkill++;
	assert.equal(exit.signal, 'SIGKILL', context);
	return exit;
}

function assertInterruptedCleanly(exit: Exit, context: string): void {
	assert.equal(exit.code, 130, `${context}: Ctrl-C exits 130\n${exit.stderr}`);
	assert.match(exit.stderr, /run the same command again to resume/, `${context}: says how to resume\n${exit.stderr}`);
	assert.doesNotMatch(exit.stderr, /unexpected error|    at .*\(/, `${context}: no stack trace`);
}

async function backupChain(points: KillPoint[], index: number): Promise<void> {
	const folder = join(root, `backup-${index}`);
	const args = ['backup', ...connectionFlags(source.connection), '--out', folder];
	let kept = 0;
	for (const point of points) {
		const context = `backup chain ${index}: ${point.signal} at "${point.at}"`;
		await killAt(args, point, context);
		tally.backup++;
		const { objects } = await assertBackupFolderSound(folder, reference, `after ${context}`);
		assert.ok(objects >= kept, `${context}: objects saved by earlier runs are kept (${objects} < ${kept})`);
		kept = objects;
	}
	const done = await runToEnd(args);
	assert.equal(done.code, 0, `backup chain ${index}: the last run finishes\n${done.stderr}`);
	const { manifest } = await assertBackupFolderSound(folder, reference, `end of backup chain ${index}`);
	assert.ok(manifest, 'manifest.json written');
	assert.deepEqual(referenceOf(manifest), reference, `backup chain ${index}: the resumed backup holds every object of the cluster, each verified`);
	assert.equal(await hasTemporary(folder), false, `backup chain ${index}: no temporary file left`);
	const verify = await runToEnd(['verify', folder]);
	assert.equal(verify.code, 0, `backup chain ${index}: deis-backup verify\n${verify.stderr}`);
}

test('backup: killed at many points, never leaves an incomplete file under a final name, and resumes to a verified backup', async () => {
	await Promise.all(BACKUP_CHAINS.map((chain, index) => backupChain(chain, index)));
	assert.equal(tally.backup, BACKUP_CHAINS.flat().length, 'every backup kill point was hit');
});

const RESTORE_CHAINS: KillPoint[][] = [
	[
		at('restore platform', 'SIGKILL'),
		// Raised, and the old value journaled, but the stage not yet marked done.
		at('bodySize raised', 'SIGKILL'),
		// The n-th upload confirmed in the journal.
		at('uploaded#2', 'SIGKILL'),
		at('uploaded#25', 'SIGKILL'),
		at('restore volume', 'SIGKILL'),
		at('restore controller', 'SIGKILL'),
		at('restore verify', 'SIGKILL'),
	],
	[
		at('restore keys', 'SIGINT'),
		at('uploaded#10', 'SIGINT'),
		at('restore volume', 'SIGINT'),
		at('restore verify', 'SIGINT'),
	],
];

/** bucket/key of uploads a restore journaled as started (pending) and never confirmed. */
async function pendingUploads(folder: string): Promise<Set<string>> {
	const dir = join(folder, '.deis-backup');
	const state = new Map<string, boolean>();
	for (const name of await readdir(dir).catch(() => [] as string[])) {
		if (!name.startsWith('restore-')) continue;
		for (const line of await journalLines(join(dir, name))) {
			try {
				const entry = JSON.parse(line) as { object?: { bucket: string; key: string; pending?: boolean } };
				if (entry.object) state.set(`${entry.object.bucket}/${entry.object.key}`, Boolean(entry.object.pending));
			} catch {
				// a torn last line
			}
		}
	}
	return new Set([...state].filter(([, pending]) => pending).map(([key]) => key));
}

async function restoreChain(points: KillPoint[], index: number): Promise<void> {
	// Each chain restores its own copy of the backup, so journals and counts are its own.
	const folder = join(root, `restore-${index}`);
	await cp(cleanBackup, folder, { recursive: true });
	const manifestText = await readFile(join(folder, 'manifest.json'), 'utf8');
	const manifest: Manifest = await readManifest(folder);
	const fresh = await startDemoCluster({ root, mode: 'fresh', name: `fresh-${index}` });
	const s3 = s3For(fresh, fresh.connection.storeEndpoint as string);
	const args = ['restore', folder, '--yes', ...connectionFlags(fresh.connection)];
	try {
		for (const point of points) {
			const context = `restore chain ${index}: ${point.signal} at "${point.at}"`;
			await killAt(args, point, context);
			tally.restore++;
			// The backup is only read: its manifest is untouched.
			assert.equal(await readFile(join(folder, 'manifest.json'), 'utf8'), manifestText, `${context}: manifest untouched`);
			// The demo gateway (s3rver) writes a body in place, so an upload cut by the kill can be visible
			// half-written (Ceph's gateway commits only whole bodies). Each such object must be one this
			// restore journaled as being uploaded and not yet confirmed: the next run finishes it without --force.
			const partial = await objectsPresentAndExact(s3, manifest).catch(() => ({ present: 0, total: 0, wrong: [] as string[] }));
			const unconfirmed = await pendingUploads(folder);
			for (const key of partial.wrong) assert.ok(unconfirmed.has(key), `${context}: ${key} differs from the backup but this restore never started uploading it`);
		}
		const done = await runToEnd(args);
		assert.equal(done.code, 0, `restore chain ${index}: the last run finishes\n${done.stderr}`);
		const whole = await objectsPresentAndExact(s3, manifest);
		assert.deepEqual(whole.wrong, [], `restore chain ${index}: every object is exact`);
		assert.equal(whole.present, whole.total, `restore chain ${index}: every object is back`);
		assert.ok((await readdir(join(fresh.storeDir, 'logs'))).includes('deis-registry.log'), `restore chain ${index}: the store volume is back`);
		assert.equal(await hasTemporary(folder), false);
	} finally {
		s3.destroy();
		await fresh.stop();
	}
}

test('restore: killed at many points, leaves only its own unconfirmed uploads behind, and the same command completes it', async () => {
	await Promise.all(RESTORE_CHAINS.map((chain, index) => restoreChain(chain, index)));
	assert.equal(tally.restore, RESTORE_CHAINS.flat().length, 'every restore kill point was hit');
});
