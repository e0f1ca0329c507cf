/**
 * Faults in the network path: a proxy on loopback between the CLI and the
 * store gateway (--store-endpoint) and between the CLI and the SSH host
 * (--port), resetting, truncating and stalling connections, and an HTTP-aware
 * proxy answering 503 SlowDown. Each run either completes with nothing lost
 * (the backup verifies and equals the cluster; every restored object is exact)
 * or fails within a bounded time with one clear line and a non-zero exit,
 * leaving nothing incomplete under a final name.
 */
import assert from 'node:assert/strict';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readManifest, type Manifest } from '../../source/archive/manifest.js';
import { startDemoCluster, type DemoCluster } from '../../source/demo/cluster.js';
import { connectionFlags } from '../support/cli.js';
import { runToEnd, type Exit } from './harness/cli.js';
import { knownHostsForPort, objectsPresentAndExact, s3For, sourceWithBackup } from './harness/demo.js';
import { startFaultProxy, startHttpFaultProxy, type Fault, type FaultKind, type FaultProxy } from './harness/fault-proxy.js';
import { assertBackupFolderSound, hasTemporary, referenceOf } from './harness/folder.js';

let root: string;
let source: DemoCluster;
let reference: Map<string, string>;
let backupForRestore: string;
/** Short idle timeout, so a stalled connection is given up on in about a second and a half. */
const FAST = { DEIS_BACKUP_IDLE_TIMEOUT_MS: '1500' };
const fired: Record<FaultKind, number> = { pass: 0, reset: 0, truncate: 0, stall: 0, slowdown: 0 };
const scenarios: string[] = [];

before(async () => {
	({ root, source, backup: backupForRestore } = await sourceWithBackup('rel-faults-', 'clean'));
	reference = referenceOf(await readManifest(backupForRestore));
});

after(async () => {
	await source?.stop();
	await rm(root, { recursive: true, force: true });
	const kinds = Object.entries(fired).filter(([kind, n]) => kind !== 'pass' && n > 0);
	process.stderr.write(`# fault kinds: ${kinds.length} (${kinds.map(([k, n]) => `${k} ×${n}`).join(', ')}) over ${scenarios.length} scenarios\n`);
});

function portOf(url: string): number {
	return Number(new URL(url).port);
}

function tally(proxy: FaultProxy): void {
	for (const [kind, n] of Object.entries(proxy.stats.fired)) fired[kind as FaultKind] += n;
}

/** The line an operator reads: the last of stderr, one sentence, no stack trace. */
function assertOneClearLine(exit: Exit, pattern: RegExp, context: string): void {
	assert.notEqual(exit.code, 0, `${context}: exits non-zero`);
	const last = exit.stderr.trim().split('\n').at(-1) ?? '';
	assert.match(last, pattern, `${context}: last line\n${exit.stderr}`);
	assert.doesNotMatch(exit.stderr, /unexpected error|    at .*\(|\[object Object\]/, `${context}: no stack trace`);
}

async function backupThroughGateway(name: string, plan: (index: number) => Fault, env: NodeJS.ProcessEnv = {}): Promise<{ exit: Exit; folder: string; proxy: FaultProxy; ms: number }> {
	scenarios.push(name);
	const proxy = await startFaultProxy({ host: '127.0.0.1', port: portOf(source.connection.storeEndpoint as string) }, plan);
	const folder = join(root, name);
	const started = Date.now();
	try {
		const exit = await runToEnd(['backup', ...connectionFlags({ ...source.connection, storeEndpoint: `http://127.0.0.1:${proxy.port}` }), '--out', folder, '--skip-database', '--skip-volume'], { env });
		return { exit, folder, proxy, ms: Date.now() - started };
	} finally {
		tally(proxy);
		await proxy.close();
	}
}

async function assertCompleteBackup(folder: string, context: string): Promise<void> {
	const { manifest } = await assertBackupFolderSound(folder, reference, context);
	assert.ok(manifest, `${context}: manifest written`);
	assert.deepEqual(referenceOf(manifest), reference, `${context}: every object of the cluster, byte for byte`);
	assert.equal(await hasTemporary(folder), false, `${context}: no temporary files`);
}

// Each fault plan also hits the first connection early: it always carries an answer (the listing's
// first page), so every run fires the fault; later connections exist only when timing opens them.
test('gateway connections reset mid-answer: objects are downloaded again, nothing lost', async () => {
	const { exit, folder, proxy } = await backupThroughGateway('gw-reset', (i) => (i === 0 ? { kind: 'reset', afterBytes: 100 } : i % 3 === 1 ? { kind: 'reset', afterBytes: 1_500 } : { kind: 'pass' }));
	assert.equal(exit.code, 0, exit.stderr);
	assert.ok(proxy.stats.fired.reset > 0, 'resets happened');
	await assertCompleteBackup(folder, 'gw-reset');
});

test('gateway answers cut short (clean close mid-body): downloaded again, nothing lost', async () => {
	const { exit, folder, proxy } = await backupThroughGateway('gw-truncate', (i) => (i === 0 ? { kind: 'truncate', afterBytes: 100 } : i % 3 === 2 ? { kind: 'truncate', afterBytes: 6_000 } : { kind: 'pass' }));
	assert.equal(exit.code, 0, exit.stderr);
	assert.ok(proxy.stats.fired.truncate > 0, 'truncations happened');
	await assertCompleteBackup(folder, 'gw-truncate');
});

test('gateway connections that stall mid-answer are given up after the idle timeout and retried', async () => {
	// The first connection always carries an answer (the listing's first page), so stalling it after 100
	// bytes fires every run; the fifth stalls mid-object when the agent opens that many (timing decides).
	const plan = (i: number): Fault => (i === 0 ? { kind: 'stall', afterBytes: 100 } : i === 4 ? { kind: 'stall', afterBytes: 2_000 } : { kind: 'pass' });
	const { exit, folder, proxy } = await backupThroughGateway('gw-stall', plan, FAST);
	assert.equal(exit.code, 0, exit.stderr);
	assert.ok(proxy.stats.fired.stall >= 1, 'stalls happened');
	await assertCompleteBackup(folder, 'gw-stall');
});

test('a gateway that resets every connection: a clear failure within a bounded time', async () => {
	const { exit, folder, ms } = await backupThroughGateway('gw-down', () => ({ kind: 'reset', afterBytes: 0 }));
	assertOneClearLine(exit, /store gateway at http:\/\/127\.0\.0\.1:\d+ (cannot be reached|kept breaking)/, 'gw-down');
	assert.ok(ms < 60_000, `gave up after ${ms} ms`);
	await assertBackupFolderSound(folder, reference, 'gw-down');
	assert.equal(await hasTemporary(folder), false);
});

test('a gateway that stalls every connection: a clear failure within a bounded time', async () => {
	const { exit, folder, ms } = await backupThroughGateway('gw-hang', () => ({ kind: 'stall', afterBytes: 0 }), FAST);
	// The listing's own idle limit (no S3 client on a backup) says ETIMEDOUT; the S3 client's said TimeoutError.
	assertOneClearLine(exit, /store gateway at http:\/\/127\.0\.0\.1:\d+ cannot be reached \((TimeoutError|ETIMEDOUT)\)/, 'gw-hang');
	assert.ok(ms < 60_000, `gave up after ${ms} ms`);
	await assertBackupFolderSound(folder, reference, 'gw-hang');
});

test('a gateway answering 503 SlowDown when more than 2 requests are in flight: the backup completes', async () => {
	scenarios.push('gw-slowdown');
	const proxy = await startHttpFaultProxy({ host: '127.0.0.1', port: portOf(source.connection.storeEndpoint as string) }, (_i, _req, inFlight) => (inFlight > 2 ? 'slowdown' : 'pass'));
	const folder = join(root, 'gw-slowdown');
	try {
		const exit = await runToEnd(['backup', ...connectionFlags({ ...source.connection, storeEndpoint: `http://127.0.0.1:${proxy.port}` }), '--out', folder, '--skip-database', '--skip-volume']);
		assert.equal(exit.code, 0, exit.stderr);
		assert.ok(proxy.stats.fired.slowdown > 0, `${proxy.stats.fired.slowdown} SlowDown answers: the gateway did push back`);
		await assertCompleteBackup(folder, 'gw-slowdown');
	} finally {
		tally(proxy);
		await proxy.close();
	}
});

/** A restore of the clean backup into a fresh cluster whose gateway is reached through `proxyFor`. */
async function restoreThrough(name: string, proxyFor: (routerPort: number) => Promise<FaultProxy>): Promise<{ proxy: FaultProxy; exit: Exit; manifest: Manifest; fresh: DemoCluster }> {
	scenarios.push(name);
	const fresh = await startDemoCluster({ root, mode: 'fresh', name });
	const proxy = await proxyFor(portOf(fresh.connection.storeEndpoint as string));
	try {
		const exit = await runToEnd(['restore', backupForRestore, '--yes', '--skip-volume', '--skip-controller', ...connectionFlags({ ...fresh.connection, storeEndpoint: `http://127.0.0.1:${proxy.port}` })]);
		return { proxy, exit, manifest: await readManifest(backupForRestore), fresh };
	} finally {
		tally(proxy);
		await proxy.close();
	}
}

async function assertRestored(fresh: DemoCluster, manifest: Manifest, context: string): Promise<void> {
	const s3 = s3For(fresh, fresh.connection.storeEndpoint as string);
	try {
		const result = await objectsPresentAndExact(s3, manifest);
		assert.deepEqual(result.wrong, [], context);
		assert.equal(result.present, result.total, `${context}: every object is back`);
	} finally {
		s3.destroy();
	}
}

test('restore through a gateway answering 503 SlowDown to every third request: every object arrives exact', async () => {
	const { proxy, exit, manifest, fresh } = await restoreThrough('rs-slowdown', (port) => startHttpFaultProxy({ host: '127.0.0.1', port }, (i, req) => (i % 3 === 1 && req.method !== 'GET' ? 'slowdown' : 'pass')));
	try {
		assert.equal(exit.code, 0, exit.stderr);
		assert.ok(proxy.stats.fired.slowdown > 0, `${proxy.stats.fired.slowdown} SlowDown answers: the gateway did push back`);
		await assertRestored(fresh, manifest, 'rs-slowdown');
	} finally {
		await fresh.stop();
	}
});

test('restore through connections reset mid-upload: objects are uploaded again, every object exact', async () => {
	const { proxy, exit, manifest, fresh } = await restoreThrough('rs-reset', (port) => startFaultProxy({ host: '127.0.0.1', port }, (i) => (i % 4 === 2 ? { kind: 'reset', afterBytes: 40_000, direction: 'up' } : { kind: 'pass' })));
	try {
		assert.equal(exit.code, 0, exit.stderr);
		assert.ok(proxy.stats.fired.reset > 0, 'resets happened');
		await assertRestored(fresh, manifest, 'rs-reset');
	} finally {
		await fresh.stop();
	}
});

/** A backup whose SSH connection goes through a proxy applying `plan`. */
async function backupThroughSsh(name: string, plan: (index: number) => Fault, env: NodeJS.ProcessEnv = {}): Promise<{ exit: Exit; folder: string; proxy: FaultProxy; args: string[]; ms: number }> {
	scenarios.push(name);
	const proxy = await startFaultProxy({ host: '127.0.0.1', port: source.connection.port }, plan);
	const knownHosts = await knownHostsForPort(source, proxy.port, join(root, `${name}.known_hosts`));
	const folder = join(root, name);
	const args = ['backup', ...connectionFlags({ ...source.connection, port: proxy.port, knownHosts }), '--out', folder];
	const started = Date.now();
	const exit = await runToEnd(args, { env });
	tally(proxy);
	return { exit, folder, proxy, args, ms: Date.now() - started };
}

/** Bytes the SSH connection carries before tar starts (handshake, deisctl, etcdctl): well under this. */
const MID_TAR = 90_000;

for (const kind of ['reset', 'truncate', 'stall'] as const) {
	test(`SSH connection ${kind === 'stall' ? 'stalling' : kind === 'reset' ? 'reset' : 'closed'} mid-tar: no store_file_backup.tar.gz, a clear message, and a clean resume`, async () => {
		const { exit, folder, proxy, args, ms } = await backupThroughSsh(`ssh-${kind}`, (i) => (i === 0 ? { kind, afterBytes: MID_TAR } : { kind: 'pass' }), FAST);
		try {
			assert.equal(proxy.stats.fired[kind], 1, `${kind} fired`);
			assertOneClearLine(exit, /SSH session to core@127\.0\.0\.1:\d+ ended before tar finished|SSH connection to .* (was lost|broke)|partial archive was discarded/, `ssh-${kind}`);
			assert.ok(ms < 60_000, `gave up after ${ms} ms`);
			const names = await readdir(folder);
			assert.ok(!names.includes('store_file_backup.tar.gz'), `ssh-${kind}: no tarball under its final name (${names.join(', ')})`);
			assert.ok(!names.includes('manifest.json'), `ssh-${kind}: no manifest`);
			assert.equal(await hasTemporary(folder), false, `ssh-${kind}: the partial archive was removed`);
			await assertBackupFolderSound(folder, reference, `ssh-${kind}`);
			proxy.setPlan(() => ({ kind: 'pass' }));
			const again = await runToEnd(args);
			assert.equal(again.code, 0, again.stderr);
			await assertCompleteBackup(folder, `ssh-${kind} resumed`);
			assert.equal((await runToEnd(['verify', folder])).code, 0);
		} finally {
			await proxy.close();
		}
	});
}

test('SSH host that never answers, or drops the connection at once: a clear failure within a bounded time', async () => {
	const hang = await backupThroughSsh('ssh-hang', () => ({ kind: 'stall', afterBytes: 0 }), FAST);
	await hang.proxy.close();
	assertOneClearLine(hang.exit, /127\.0\.0\.1:\d+ accepted the connection but did not complete the SSH handshake within \d+ s/, 'ssh-hang');
	assert.ok(hang.ms < 30_000, `gave up after ${hang.ms} ms`);
	const drop = await backupThroughSsh('ssh-drop', () => ({ kind: 'reset', afterBytes: 0 }));
	await drop.proxy.close();
	assertOneClearLine(drop.exit, /127\.0\.0\.1:\d+ closed the connection before the SSH handshake; check that \d+ is the SSH port/, 'ssh-drop');
});
