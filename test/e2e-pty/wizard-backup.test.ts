/**
 * The compiled binary in a pseudo-terminal (tmux): a backup answered key by
 * key, as an operator would, on the demo cluster (always) and on the simulated
 * cluster of real services (when it is up); then Ctrl-C in the middle of the
 * mirror, exit code 130, and a second run that completes.
 *
 *   npm run build && node --import tsx --test test/e2e-pty/wizard-backup.test.ts
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Manifest } from '../../source/archive/manifest.js';
import type { ClusterEnv } from '../cluster/lib/env-file.js';
import { startDemoCluster, type DemoCluster } from '../../source/demo/cluster.js';
import { sourceObjects } from '../../source/demo/seed.js';
import { CLI, REPO, Pane, cliEnv, flat, scratch, tmuxMissing } from './tmux.js';

const TEST_TIMEOUT = 60_000;
const noTmux = await tmuxMissing();

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

async function startCli(args: string[], home: string): Promise<Pane> {
	const pane = await Pane.start({ argv: [process.execPath, CLI, ...args], cwd: REPO, env: cliEnv(home), width: 120, height: 45 });
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

describe('wizard in a terminal, demo cluster', { skip: noTmux ?? false }, () => {
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


const ENV_FILE = join(REPO, '.cluster', 'env.json');

function answers(host: string, port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect({ host, port, timeout: 1000 });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('timeout', () => {
			socket.destroy();
			resolve(false);
		});
		socket.once('error', () => resolve(false));
	});
}

/** Why the simulated-cluster tests cannot run here, or undefined when they can. */
async function clusterUnavailable(): Promise<string | undefined> {
	if (!existsSync(ENV_FILE)) return `no ${ENV_FILE}: the simulated cluster is not up (npx tsx test/cluster/up.ts)`;
	const env = JSON.parse(await readFile(ENV_FILE, 'utf8')) as ClusterEnv;
	if (!(await answers(env.host, env.port))) return `nothing answers SSH at ${env.host}:${env.port}: the simulated cluster is not up (npx tsx test/cluster/up.ts)`;
	const mode = await readFile(join(REPO, '.cluster', 'mode'), 'utf8').then((text) => text.trim(), () => 'unknown');
	if (mode !== 'source') return `the simulated cluster is in ${mode} mode, not source: another test has it`;
	return undefined;
}

/** Read at each test: a restart elsewhere writes new settings. */
async function loadEnv(): Promise<ClusterEnv> {
	return JSON.parse(await readFile(ENV_FILE, 'utf8')) as ClusterEnv;
}

const unavailable = noTmux ? undefined : await clusterUnavailable();

describe('wizard in a terminal, simulated cluster of real services', { skip: noTmux ?? unavailable ?? false }, () => {
	let root: string;

	before(async () => {
		assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build first`);
		root = await tempDir('deis-backup-pty-cluster-');
	});

	test('backup answered key by key with ~/.ssh/known_hosts; the manifest matches .cluster/env.json', { timeout: TEST_TIMEOUT }, (t) =>
		onSharedCluster(t, async () => {
			const env = await loadEnv();
			const folder = join(root, 'backup-typed');
			// The tool reads ~/.ssh/known_hosts by default: a HOME holding the cluster's.
			const home = await homeWith(env.knownHosts);
			const pane = await startCli(['backup'], home);
			await answerBackupWizard(pane, { host: env.host, port: env.port, user: env.user, identity: env.identity, domain: env.domain, folder });
			await pane.waitFor(`Backing up ${env.user}@${env.host}:${env.port} → ${folder}`);
			const { code } = await finishBackup(pane, folder);
			assert.equal(code, 0);
			await assertManifestMatches(folder, env.objects);
		}));

	test('Ctrl-C during the mirror stops safely, exits 130 with how to resume; running again completes', { timeout: TEST_TIMEOUT }, (t) =>
		onSharedCluster(t, async () => {
			const env = await loadEnv();
			const folder = join(root, 'backup-interrupted');
			const home = await homeWith(env.knownHosts);
			const flags = ['--host', env.host, '--port', String(env.port), '--user', env.user, '--identity', env.identity, '--domain', env.domain, '--out', folder, '--concurrency', '1'];

			const first = await startCli(['backup', ...flags], home);
			await acceptPrefilled(first);
			// The mirror is under way (a bucket's progress shows) when Ctrl-C arrives.
			const mirroring = await first.waitFor(/Mirror.*\n(.*\n)*.*\d+\/\d+ objects/, 30_000);
			assert.match(mirroring, /Ctrl-C stops safely; run the same command again to resume\./);
			await first.press("C-c");
			const code = await first.waitForExit(30_000);
			const stopped = await first.screen();
			assert.equal(code, 130, `exit code ${code}; screen:\n${stopped}`);
			assert.match(stopped, /Backup stopped at your request \(Ctrl-C\)/);
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
		}));
});

/**
 * The simulated cluster is shared: `up.ts` and `down.ts` run elsewhere restart
 * or stop it (new host keys, new files). A test that finds it gone skips; a
 * failure while it was being restarted says so.
 */
async function onSharedCluster(t: TestContext, body: () => Promise<void>): Promise<void> {
	const gone = await clusterUnavailable();
	if (gone) {
		t.skip(gone);
		return;
	}
	const before = await clusterFingerprint();
	try {
		await body();
	} catch (error) {
		const now = await clusterFingerprint();
		if (now !== before) throw new Error(`the simulated cluster was restarted, stopped or switched to another mode by someone else during this test (${before} → ${now}): ${(error as Error).message}`, { cause: error });
		throw error;
	}
}

/** When the cluster was last (re)started, and its mode since when. */
async function clusterFingerprint(): Promise<string> {
	const mtime = (file: string) => stat(file).then((info) => new Date(info.mtimeMs).toISOString(), () => 'gone');
	const modeFile = join(REPO, '.cluster', 'mode');
	const mode = await readFile(modeFile, 'utf8').then((text) => text.trim(), () => 'gone');
	return `env.json ${await mtime(ENV_FILE)}, mode ${mode} since ${await mtime(modeFile)}`;
}

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
