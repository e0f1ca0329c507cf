/**
 * The compiled binary in a pseudo-terminal (tmux): a backup answered key by
 * key, as an operator would, on the demo cluster and on the simulated cluster
 * of real services (which must be up); then Ctrl-C in the middle of the
 * download, exit code 130, and a second run that completes.
 *
 *   npm run build && npx tsx test/cluster/up.ts && node --import tsx --test test/e2e-pty/wizard-backup.test.ts
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Manifest } from '../../source/archive/manifest.js';
import { loadCluster, makeSource, type ClusterEnv } from '../cluster/env.js';
import { paths } from '../cluster/lib/paths.js';
import { startDemoCluster, type DemoCluster } from '../../source/demo/cluster.js';
import { sourceObjects } from '../../source/demo/seed.js';
import { CLI, REPO, Pane, PausePoints, cliEnv, flat, requireTmux, scratch } from './tmux.js';

const TEST_TIMEOUT = 60_000;
await requireTmux();

interface ExpectedObject {
	bucket: string;
	key: string;
	size: number;
	sha256: string;
}

const { panes, tempDir, cleanup } = scratch();
after(cleanup);

/** A HOME of its own: no saved profiles, and ~/.ssh/known_hosts as given. */
async function homeWith(knownHosts?: string): Promise<string> {
	const home = await tempDir('deis-backup-home-');
	if (knownHosts) {
		await mkdir(join(home, '.ssh'), { mode: 0o700 });
		await copyFile(knownHosts, join(home, '.ssh', 'known_hosts'));
	}
	return home;
}

async function startCli(args: string[], home: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Pane> {
	const pane = await Pane.start({ argv: [process.execPath, CLI, ...args], cwd: REPO, env: cliEnv(home, extraEnv), width: 120, height: 45 });
	panes.push(pane);
	return pane;
}

interface Typed {
	host: string;
	port: number;
	user: string;
	identity: string;
	domain: string;
	folder: string;
}

/**
 * backup → "Another host" → every connection answer typed, with a port out of
 * range first → folder → both optional stages → the preview → Start.
 * Returns the preview screen.
 */
async function answerBackupWizard(pane: Pane, typed: Typed): Promise<string> {
	await pane.waitFor('? Where does the cluster run?', 20_000);
	await pane.waitFor('❯ Vagrant on this machine');
	await pane.press('Down');
	await pane.waitFor('❯ Another host');
	await pane.press('Enter');

	await pane.waitFor('? Hostname or IP of a cluster machine');
	await pane.answer(typed.host);

	// An invalid answer: the error appears under the prompt, and the same question stays.
	await pane.waitFor('? SSH port (22)');
	await pane.answer('99999');
	const invalid = await pane.waitFor('✖ 99999 is outside the port range 1–65535.');
	assert.match(invalid, /\? SSH port \(22\) › 99999/, 'the port question is still asked, with the rejected text to edit');
	assert.ok(!invalid.includes('✔ SSH port'), 'the bad port was not accepted');
	await pane.press('C-u');
	await pane.waitFor((screen) => /\? SSH port \(22\) › *$/m.test(screen));
	await pane.answer(String(typed.port));
	await pane.waitFor(`✔ SSH port · ${typed.port}`);

	await pane.waitFor('? SSH user (core)');
	await pane.answer(typed.user);
	await pane.waitFor('? SSH private key file');
	await pane.answer(typed.identity);
	await pane.waitFor('? Cluster domain');
	await pane.answer(typed.domain);

	// The connection is tried over SSH, the gateway probed; then the folder.
	await pane.waitFor('? Folder to write the backup to', 20_000);
	await pane.answer(typed.folder);
	await pane.waitFor(/Include “.*”\? \(Y\/n\)/);
	await pane.press('Enter');
	await pane.waitFor(/✔ Include “.*”\? · Yes\n\? Include “.*”\? \(Y\/n\)/);
	await pane.press('Enter');
	const preview = await pane.waitFor('? Start the backup? (Y/n)');
	assert.match(preview, new RegExp(`✔ Connection · ${typed.user}@${escape(typed.host)}:${typed.port}, domain ${escape(typed.domain)}`));
	assert.match(preview, new RegExp(`✔ Folder · ${escape(typed.folder)}`));
	assert.match(preview, /What will happen/);
	assert.match(preview, new RegExp(`\\$ ssh -p ${typed.port} ${typed.user}@${escape(typed.host)}`));
	assert.match(preview, /pg_dumpall/);
	await pane.press('Enter');
	return preview;
}

function escape(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Waits for the finished summary, declines saving a profile, and returns the summary screen and exit code. */
async function finishBackup(pane: Pane, folder: string): Promise<{ summary: string; code: number }> {
	const summary = await pane.waitFor('Save this connection as a profile for next time?', 50_000);
	assert.match(summary, /✔ Backup complete/);
	assert.match(flat(summary), new RegExp(`Saved to ${escape(folder)}`));
	assert.match(flat(summary), new RegExp(`Manifest: ${escape(join(folder, 'manifest.json'))}`));
	assert.match(flat(summary), /Restore with: deis-backup restore/);
	await pane.answer('n');
	const code = await pane.waitForExit();
	return { summary, code };
}

/** The manifest lists exactly the expected objects, each with its size and sha256, and the files on disk match. */
async function assertManifestMatches(folder: string, expected: ExpectedObject[]): Promise<Manifest> {
	const manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8')) as Manifest;
	const saved = manifest.buckets.flatMap((bucket) => bucket.objects.map((object) => ({ bucket: bucket.name, key: object.key, size: object.size, sha256: object.sha256, file: join(folder, bucket.folder, object.path) })));
	const order = (a: { bucket: string; key: string }, b: { bucket: string; key: string }) => `${a.bucket}/${a.key}`.localeCompare(`${b.bucket}/${b.key}`);
	assert.equal(saved.length, expected.length, 'object count');
	assert.deepEqual(
		saved.map(({ bucket, key, size, sha256 }) => ({ bucket, key, size, sha256 })).sort(order),
		expected.map(({ bucket, key, size, sha256 }) => ({ bucket, key, size, sha256 })).sort(order),
	);
	// The manifest is not taken on trust: hash the largest files it names.
	for (const object of [...saved].sort((a, b) => b.size - a.size).slice(0, 3)) {
		const digest = createHash('sha256').update(await readFile(object.file)).digest('hex');
		assert.equal(digest, object.sha256, `${object.bucket}/${object.key} on disk`);
	}
	assert.ok(manifest.volume, 'the store volume archive is in the manifest');
	assert.ok(manifest.database, 'the database dump is in the manifest');
	return manifest;
}

// ---------------------------------------------------------------- demo cluster

describe('wizard in a terminal, demo cluster', () => {
	let root: string;
	let demo: DemoCluster;

	before(async () => {
		assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build first`);
		root = await tempDir('deis-backup-pty-demo-');
		demo = await startDemoCluster({ root, mode: 'source' });
	});
	after(async () => {
		await demo?.stop();
	});

	test('backup answered key by key: a bad port is refused and asked again; the manifest matches the cluster', { timeout: TEST_TIMEOUT }, async () => {
		const c = demo.connection;
		assert.ok(c.identity && c.knownHosts && c.storeEndpoint);
		const folder = join(root, 'backup-typed');
		const home = await homeWith();
		// The gateway URL and known_hosts cannot be typed in the form: flags pre-fill them, the rest is typed.
		const pane = await startCli(['backup', '--store-endpoint', c.storeEndpoint, '--known-hosts', c.knownHosts], home);
		await answerBackupWizard(pane, { host: c.host, port: c.port, user: c.user, identity: c.identity, domain: c.domain, folder });
		await pane.waitFor(`Backing up ${c.user}@${c.host}:${c.port} → ${folder}`);
		const { code } = await finishBackup(pane, folder);
		assert.equal(code, 0);
		const expected = sourceObjects(demo.model.apps.map((app) => app.id)).map((object) => ({
			bucket: object.bucket,
			key: object.key,
			size: object.body.length,
			sha256: createHash('sha256').update(object.body).digest('hex'),
		}));
		const manifest = await assertManifestMatches(folder, expected);
		assert.equal(manifest.cluster.domain, c.domain);
	});
});

// ---------------------------------------------------------------- simulated cluster

/**
 * The suite brings the simulated cluster up (test/run.sh): one that is not up
 * fails here with how to start it. Another file may have left it in fresh
 * mode; it is put back to source mode first, never skipped.
 */
describe('wizard in a terminal, simulated cluster of real services', () => {
	let root: string;
	let env: ClusterEnv;

	before(async () => {
		assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build first`);
		assert.ok(existsSync(paths.env), `no ${paths.env}: the simulated cluster is not up (npx tsx test/cluster/up.ts)`);
		env = loadCluster();
		await makeSource();
		root = await tempDir('deis-backup-pty-cluster-');
	});

	test('backup answered key by key with ~/.ssh/known_hosts; the manifest matches .cluster/env.json', { timeout: TEST_TIMEOUT }, async () => {
		const folder = join(root, 'backup-typed');
		// The tool reads ~/.ssh/known_hosts by default: a HOME holding the cluster's.
		const home = await homeWith(env.knownHosts);
		const pane = await startCli(['backup'], home);
		await answerBackupWizard(pane, { host: env.host, port: env.port, user: env.user, identity: env.identity, domain: env.domain, folder });
		await pane.waitFor(`Backing up ${env.user}@${env.host}:${env.port} → ${folder}`);
		const { code } = await finishBackup(pane, folder);
		assert.equal(code, 0);
		await assertManifestMatches(folder, env.objects);
	});

	test('Ctrl-C during the download stops safely, exits 130 with how to resume; running again completes', { timeout: TEST_TIMEOUT }, async () => {
		const folder = join(root, 'backup-interrupted');
		const home = await homeWith(env.knownHosts);
		const flags = ['--host', env.host, '--port', String(env.port), '--user', env.user, '--identity', env.identity, '--domain', env.domain, '--out', folder, '--concurrency', '1'];

		const pauses = new PausePoints(join(await tempDir('deis-backup-pauses-'), 'pauses'));
		// Each saved object is a pause: the download cannot end before the test lets it.
		const first = await startCli(['backup', ...flags], home, pauses.env('download saved#1+'));
		await acceptPrefilled(first);
		const pid = await pauses.next(first);
		assert.ok(pid, 'the backup stops at its first saved object');
		// Queued while the run stands still, read as soon as it goes on.
		await first.press('C-c');
		for (let stopped: number | undefined = pid; stopped !== undefined; stopped = await pauses.next(first)) pauses.resume(stopped);
		const code = await first.waitForExit(30_000);
		const stopped = await first.screen();
		assert.equal(code, 130, `exit code ${code}; screen:\n${stopped}`);
		assert.match(stopped, /Backup stopped at your request \(Ctrl-C\)/);
		assert.doesNotMatch(flat(stopped), /Downloaded s3:\/\//, 'the stop came during the download');
		assert.match(flat(stopped), /finished files stay; the next run does not copy them again/);
		assert.match(flat(stopped), new RegExp(`Resume with the same command: deis-backup backup ${escape(folder)}`));
		assert.ok(!existsSync(join(folder, 'manifest.json')), 'an interrupted backup has no manifest');

		const second = await startCli(['backup', ...flags], home);
		await acceptPrefilled(second);
		const { code: again } = await finishBackup(second, folder);
		assert.equal(again, 0);
		await assertManifestMatches(folder, env.objects);
		// Nothing half-written was left behind by the stop.
		const leftovers = execFileSync('find', [folder, '-name', '*.part-*'], { encoding: 'utf8' }).trim();
		assert.equal(leftovers, '', 'no partial files remain');
	});
});

/** With every connection answer given as flags: the review, then the option questions and the preview. */
async function acceptPrefilled(pane: Pane): Promise<void> {
	await pane.waitFor('? Connect with these settings?', 20_000);
	await pane.waitFor('❯ Use these settings');
	await pane.press('Enter');
	await pane.waitFor(/Include “.*”\? \(Y\/n\)/, 20_000);
	await pane.press('Enter');
	await pane.waitFor(/✔ Include “.*”\? · Yes\n\? Include “.*”\? \(Y\/n\)/);
	await pane.press('Enter');
	await pane.waitFor('? Start the backup? (Y/n)');
	await pane.press('Enter');
}
