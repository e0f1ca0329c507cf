/**
 * Kill harness: the compiled CLI is killed (SIGKILL, and SIGINT as an operator's
 * Ctrl-C) at many points of a backup and of a restore, each point chosen from
 * what the run is observed doing (files appearing, journal lines, stage lines
 * on stderr), never from elapsed time.
 *
 * Points are run as chains: the run that resumes after one kill is itself
 * killed at the next, later point, in the same folder (or the same target
 * cluster); the last run of a chain goes to the end. After every kill nothing
 * incomplete may carry a final name and the manifest is absent or whole; at
 * the end of every chain the backup verifies (and holds exactly the cluster's
 * objects), or every object of the backup is back in the new cluster.
 */
import assert from 'node:assert/strict';
import { cp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readManifest, type Manifest } from '../../source/archive/manifest.js';
import { startDemoCluster, type DemoCluster } from '../../source/demo/cluster.js';
import { connectionFlags } from '../support/cli.js';
import { runToEnd, spawnCli, type Exit, type Running } from './harness/cli.js';
import { objectsPresentAndExact, s3For, sourceWithBackup } from './harness/demo.js';
import { assertBackupFolderSound, countFinalObjects, hasTemporary, journalLines, referenceOf } from './harness/folder.js';

let root: string;
let source: DemoCluster;
let reference: Map<string, string>;
let cleanBackup: string;
const tally = { backup: 0, restore: 0, sigint: 0, sigkill: 0, missed: 0 };

before(async () => {
	({ root, source, backup: cleanBackup } = await sourceWithBackup('rel-kill-', 'clean'));
	reference = referenceOf(await readManifest(cleanBackup));
});

after(async () => {
	await source?.stop();
	await rm(root, { recursive: true, force: true });
	process.stderr.write(`# kill points: ${tally.backup + tally.restore} (${tally.backup} in backups, ${tally.restore} in restores; ${tally.sigkill} SIGKILL, ${tally.sigint} SIGINT; ${tally.missed} not reached)\n`);
});

/** What the folder looked like when the run started, so points count this run's progress only. */
interface Baseline {
	objects: number;
	journal: Record<string, number>;
	pushed: number;
}

interface KillPoint {
	name: string;
	signal: 'SIGKILL' | 'SIGINT';
	reached: (run: Running, folder: string, base: Baseline) => Promise<boolean> | boolean;
}

const exists = (path: string) =>
	stat(path).then(
		() => true,
		() => false,
	);
const anyTemporary = (folder: string, prefix: string) =>
	readdir(folder).then(
		(names) => names.some((n) => n.startsWith(prefix) && n.includes('.part-')),
		() => false,
	);
const journalFile = (folder: string, bucket: string) => join(folder, '.deis-backup', `objects-${bucket}.jsonl`);

/** Restore journals (one per target cluster) confirming uploads. */
async function confirmedUploads(folder: string): Promise<number> {
	const dir = join(folder, '.deis-backup');
	let count = 0;
	for (const name of await readdir(dir).catch(() => [] as string[])) {
		if (name.startsWith('restore-')) count += (await journalLines(join(dir, name))).filter((l) => l.includes('"object"') && !l.includes('"pending"')).length;
	}
	return count;
}

async function baseline(folder: string): Promise<Baseline> {
	return {
		objects: await countFinalObjects(folder),
		journal: { db_wal: (await journalLines(journalFile(folder, 'db_wal'))).length, registry: (await journalLines(journalFile(folder, 'registry'))).length },
		pushed: await confirmedUploads(folder),
	};
}

const stageLine = (name: string, pattern: RegExp, signal: KillPoint['signal']): KillPoint => ({ name, signal, reached: (run) => pattern.test(run.stderr) });
const newObjects = (n: number, signal: KillPoint['signal']): KillPoint => ({
	name: `${n} more object file(s)`,
	signal,
	reached: async (_run, f, base) => (await countFinalObjects(f)) >= base.objects + n,
});
const journalGrows = (bucket: string, n: number, signal: KillPoint['signal']): KillPoint => ({
	name: `${bucket} journal +${n} lines`,
	signal,
	reached: async (_run, f, base) => (await journalLines(journalFile(f, bucket))).length >= (base.journal[bucket] ?? 0) + n,
});
const firstTemporaryObject: (signal: KillPoint['signal']) => KillPoint = (signal) => ({
	name: 'a temporary object file exists',
	signal,
	reached: async (_run, f) => (await readdir(join(f, 'buckets'), { recursive: true }).catch(() => [] as string[])).some((n) => String(n).includes('.part-')),
});
const tarRunning = (signal: KillPoint['signal']): KillPoint => ({ name: 'tar streaming into a temporary file', signal, reached: (_run, f) => anyTemporary(f, '.store_file_backup.tar.gz') });
const dumpRunning = (signal: KillPoint['signal']): KillPoint => ({ name: 'pg_dumpall streaming into a temporary file', signal, reached: (_run, f) => anyTemporary(f, '.dump_all.sql') });

const BACKUP_CHAINS: KillPoint[][] = [
	[
		stageLine('connecting', /Connect to/, 'SIGKILL'),
		firstTemporaryObject('SIGKILL'),
		newObjects(1, 'SIGKILL'),
		newObjects(10, 'SIGKILL'),
		{ name: 'second bucket started', signal: 'SIGKILL', reached: (_run, f) => exists(join(f, 'buckets', 'registry')) },
		tarRunning('SIGKILL'),
		dumpRunning('SIGKILL'),
		stageLine('writing manifest.json', /Write manifest\.json/, 'SIGKILL'),
	],
	[
		stageLine('reading the gateway keys', /Read the store gateway keys/, 'SIGINT'),
		firstTemporaryObject('SIGINT'),
		newObjects(10, 'SIGINT'),
		journalGrows('registry', 10, 'SIGINT'),
		tarRunning('SIGINT'),
		dumpRunning('SIGINT'),
	],
	[
		journalGrows('db_wal', 5, 'SIGKILL'),
		journalGrows('registry', 20, 'SIGKILL'),
		newObjects(15, 'SIGINT'),
		{ name: 'tarball just got its final name', signal: 'SIGKILL', reached: (_run, f) => exists(join(f, 'store_file_backup.tar.gz')) },
		stageLine('stage line: dump the database', /Dump the database/, 'SIGINT'),
		{ name: 'manifest.json just appeared', signal: 'SIGKILL', reached: (_run, f) => exists(join(f, 'manifest.json')) },
	],
];

/**
 * Runs until the point, then kills. How far an earlier killed run got is a race,
 * so a run may finish before its point: that run must then have succeeded, and
 * the point counts as missed (each test checks enough points were hit).
 */
async function killAt(args: string[], point: KillPoint, folder: string, context: string): Promise<Exit | undefined> {
	const base = await baseline(folder);
	const run = spawnCli(args);
	const reached = await run.until(() => point.reached(run, folder, base), context);
	const exit = await run.kill(point.signal);
	if (!reached) {
		assert.equal(exit.code, 0, `${context}: a run that was not killed finishes cleanly\n${exit.stderr}`);
		tally.missed++;
		return undefined;
	}
	if (point.signal === 'SIGINT') {
		tally.sigint++;
		assertInterruptedCleanly(exit, context);
	} else {
		tally.sigkill++;
		assert.equal(exit.signal, 'SIGKILL', context);
	}
	return exit;
}

function assertInterruptedCleanly(exit: Exit, context: string): void {
	if (exit.code === 0) return; // the run finished just before the signal landed: nothing to resume
	assert.equal(exit.code, 130, `${context}: Ctrl-C exits 130\n${exit.stderr}`);
	assert.match(exit.stderr, /run the same command again to resume/, `${context}: says how to resume\n${exit.stderr}`);
	assert.doesNotMatch(exit.stderr, /unexpected error|    at .*\(/, `${context}: no stack trace`);
}

async function backupChain(points: KillPoint[], index: number): Promise<void> {
	const folder = join(root, `backup-${index}`);
	const args = ['backup', ...connectionFlags(source.connection), '--out', folder];
	let kept = 0;
	for (const point of points) {
		const context = `backup chain ${index}: ${point.signal} at "${point.name}"`;
		if (!(await killAt(args, point, folder, context))) continue;
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
	const planned = BACKUP_CHAINS.flat().length;
	assert.ok(tally.backup >= planned * 0.75, `at least three quarters of the ${planned} backup kill points were hit (${tally.backup})`);
});

const pushed = (n: number, signal: KillPoint['signal']): KillPoint => ({
	name: `${n} more upload(s) confirmed in the journal`,
	signal,
	reached: async (_run, f, base) => (await confirmedUploads(f)) >= base.pushed + n,
});

const RESTORE_CHAINS: KillPoint[][] = [
	[
		stageLine('installing the platform', /Install the platform/, 'SIGKILL'),
		stageLine('router raised', /bodySize raised/, 'SIGKILL'),
		pushed(2, 'SIGKILL'),
		pushed(25, 'SIGKILL'),
		stageLine('extracting the store volume', /Extract the store volume/, 'SIGKILL'),
		stageLine('controller re-save', /Make the controller re-write/, 'SIGKILL'),
		stageLine('verifying', /Verify the restored objects/, 'SIGKILL'),
	],
	[
		stageLine('waiting for the gateway', /Read the new cluster's gateway keys/, 'SIGINT'),
		pushed(10, 'SIGINT'),
		stageLine('extracting the store volume', /Extract the store volume/, 'SIGINT'),
		stageLine('verifying', /Verify the restored objects/, 'SIGINT'),
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
			const context = `restore chain ${index}: ${point.signal} at "${point.name}"`;
			if (!(await killAt(args, point, folder, context))) continue;
			tally.restore++;
			// The backup is only read: its manifest is untouched.
			assert.equal(await readFile(join(folder, 'manifest.json'), 'utf8'), manifestText, `${context}: manifest untouched`);
			// The demo gateway (s3rver) writes a body in place, so an upload cut by the kill can be visible
			// half-written (Ceph's gateway commits only whole bodies). Each such object must be one this
			// restore journaled as being sent and not yet confirmed: the next run finishes it without --force.
			const partial = await objectsPresentAndExact(s3, manifest).catch(() => ({ present: 0, total: 0, wrong: [] as string[] }));
			const unconfirmed = await pendingUploads(folder);
			for (const key of partial.wrong) assert.ok(unconfirmed.has(key), `${context}: ${key} differs from the backup but this restore never started sending it`);
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
	const planned = RESTORE_CHAINS.flat().length;
	assert.ok(tally.restore >= planned * 0.75, `at least three quarters of the ${planned} restore kill points were hit (${tally.restore})`);
});
