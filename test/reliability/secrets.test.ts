/**
 * Secrets and access: the gateway keys and the database dump's content never
 * appear in anything the tool prints or writes (dump_all.sql aside); the
 * backup folder is private whatever the umask; host keys are checked against
 * known_hosts, a new one needs --accept-new-host-key, a changed one always stops.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import ssh2 from 'ssh2';
import { saveProfile } from '../../source/config/profiles.js';
import { startDemoCluster, type DemoCluster } from '../../source/demo/cluster.js';
import { connectionFlags } from '../support/cli.js';
import { runToEnd, spawnCli, type Exit } from './harness/cli.js';
import { startMemoryGateway } from './harness/memory-gateway.js';
import { listTree } from './harness/folder.js';

let root: string;
let source: DemoCluster;
let fresh: DemoCluster;

before(async () => {
	root = await mkdtemp(join(tmpdir(), 'rel-secrets-'));
	[source, fresh] = await Promise.all([startDemoCluster({ root, mode: 'source' }), startDemoCluster({ root, mode: 'fresh' })]);
});

after(async () => {
	await Promise.all([source?.stop(), fresh?.stop()]);
	await rm(root, { recursive: true, force: true });
});

/** Every file below `dir`, as text, with its path. */
async function everyFile(dir: string): Promise<Array<{ path: string; text: string }>> {
	const files = (await listTree(dir)).filter((e) => e.type === 'file');
	return Promise.all(files.map(async (e) => ({ path: e.path, text: (await readFile(join(dir, e.path))).toString('latin1') })));
}

/** Lines of the dump that only the database holds: passwords, config values, private keys. */
function dumpSecrets(dump: string): string[] {
	const picked = dump.split('\n').filter((line) => /s3cret|PRIVATE KEY|SECRET_KEY|PASSWORD|f00dcafe/.test(line) && line.length > 12);
	// And a few long lines of content, whatever they hold.
	picked.push(...dump.split('\n').filter((line) => line.length > 60 && !line.startsWith('--')).slice(0, 20));
	return [...new Set(picked)];
}

function assertAbsent(haystacks: Array<{ path: string; text: string }>, needles: Record<string, string>): void {
	for (const { path, text } of haystacks) {
		for (const [what, needle] of Object.entries(needles)) assert.ok(!text.includes(needle), `${what} found in ${path}`);
	}
}

test('gateway keys and the dump never appear in output, manifest, journals, profiles or error messages', async () => {
	const folder = join(root, 'backup');
	const args = ['backup', ...connectionFlags(source.connection), '--out', folder];
	const printed: Array<{ path: string; text: string }> = [];
	const keep = (name: string, exit: Exit) => printed.push({ path: `${name} stdout`, text: exit.stdout }, { path: `${name} stderr`, text: exit.stderr });

	// A run stopped mid-mirror leaves journals behind: they are read too.
	const interrupted = spawnCli(args);
	await interrupted.until(async () => (await readdir(join(folder, '.deis-backup')).catch(() => [])).length > 0 && (await readFile(join(folder, '.deis-backup', 'objects-db_wal.jsonl'), 'utf8').catch(() => '')).length > 0, 'a journal line');
	keep('interrupted', await interrupted.kill('SIGKILL'));
	const journals = await everyFile(join(folder, '.deis-backup'));
	assert.ok(journals.length > 0);

	const done = await runToEnd(args);
	assert.equal(done.code, 0, done.stderr);
	keep('backup', done);
	const dump = await readFile(join(folder, 'dump_all.sql'), 'utf8');
	const secrets = dumpSecrets(dump);
	assert.ok(secrets.length > 5, 'the dump holds secrets to look for');

	// Failures print messages too: a gateway that does not know the keys.
	const stranger = await startMemoryGateway('SOMEONE-ELSES-KEY');
	try {
		const failing = await runToEnd(['backup', ...connectionFlags({ ...source.connection, storeEndpoint: stranger.endpoint }), '--out', join(root, 'failing')]);
		assert.notEqual(failing.code, 0);
		assert.match(failing.stderr, /rejected the gateway keys/);
		keep('failing', failing);
	} finally {
		await stranger.close();
	}
	const restore = await runToEnd(['restore', folder, '--yes', ...connectionFlags(fresh.connection)]);
	assert.equal(restore.code, 0, restore.stderr);
	keep('restore', restore);
	const verify = await runToEnd(['verify', folder]);
	keep('verify', verify);

	// Profiles keep connection settings only, whatever they are handed.
	const profiles = join(root, 'config', 'profiles.json');
	await saveProfile('demo', { ...source.connection, ...({ accessKey: source.gatewayKeys.accessKey, secretKey: source.gatewayKeys.secretKey } as object) }, profiles);
	const written = [...(await everyFile(folder)).filter((f) => f.path !== 'dump_all.sql'), ...journals, ...(await everyFile(join(root, 'config'))), { path: 'known_hosts', text: await readFile(source.connection.knownHosts as string, 'utf8') }];
	const keys = {
		'source access key': source.gatewayKeys.accessKey,
		'source secret key': source.gatewayKeys.secretKey,
		'new cluster access key': fresh.gatewayKeys.accessKey,
		'new cluster secret key': fresh.gatewayKeys.secretKey,
	};
	assertAbsent([...printed, ...written, { path: 'dump_all.sql', text: dump }], keys);
	assertAbsent([...printed, ...written], Object.fromEntries(secrets.map((line, i) => [`dump line ${i} (${line.slice(0, 30)}…)`, line])));
	assert.equal(((await stat(profiles)).mode & 0o777).toString(8), '600', 'profiles file is private');
});

test('the backup folder is 0700 and every file 0600, nested folders included, even under umask 000', async () => {
	const folder = join(root, 'modes');
	const args = ['backup', ...connectionFlags(source.connection), '--out', folder];
	const stopped = spawnCli(args, { umask: '000' });
	await stopped.until(async () => (await readFile(join(folder, '.deis-backup', 'objects-db_wal.jsonl'), 'utf8').catch(() => '')).length > 0, 'a journal line');
	await stopped.kill('SIGKILL');
	const midway = await listTree(folder);
	const done = await runToEnd(args, { umask: '000' });
	assert.equal(done.code, 0, done.stderr);
	const entries = [...midway, ...(await listTree(folder))];
	assert.ok(entries.some((e) => e.path.startsWith('.deis-backup/') && e.type === 'file'), 'journals seen');
	assert.ok(entries.some((e) => e.path.split('/').length > 4 && e.type === 'file'), 'nested object files seen');
	assert.equal(((await stat(folder)).mode & 0o777).toString(8), '700', 'the backup folder');
	for (const entry of entries) {
		const expected = entry.type === 'dir' ? 0o700 : 0o600;
		assert.equal(entry.mode.toString(8), expected.toString(8), `${entry.type} ${entry.path}`);
	}
});

test('an unknown host key is refused without --accept-new-host-key, then accepted and recorded with it', async () => {
	const knownHosts = join(root, 'known_hosts_new');
	await writeFile(knownHosts, '');
	const folder = join(root, 'hostkey-new');
	const flags = connectionFlags({ ...source.connection, knownHosts });
	const refused = await runToEnd(['backup', ...flags, '--out', folder]);
	assert.equal(refused.code, 1);
	assert.match(refused.stderr.trim().split('\n').at(-1) ?? '', /is not in .*known_hosts_new \(it is SHA256:[A-Za-z0-9+/]+\); check it and run again with --accept-new-host-key/);
	assert.equal(await readFile(knownHosts, 'utf8'), '', 'nothing recorded');
	assert.deepEqual((await listTree(folder)).filter((e) => e.type === 'file'), [], 'nothing fetched');

	const accepted = await runToEnd(['backup', ...flags, '--out', folder, '--accept-new-host-key', '--skip-database', '--skip-volume']);
	assert.equal(accepted.code, 0, accepted.stderr);
	const recorded = (await readFile(knownHosts, 'utf8')).trim();
	const expected = (await readFile(source.connection.knownHosts as string, 'utf8')).trim();
	assert.equal(recorded, expected, 'recorded as [host]:port type key, the same key the host has');
	const again = await runToEnd(['backup', ...flags, '--out', folder, '--skip-database', '--skip-volume']);
	assert.equal(again.code, 0, 'trusted from now on without the flag');
});

test('a changed host key stops the run, even with --accept-new-host-key, and known_hosts is left alone', async () => {
	const other = ssh2.utils.generateKeyPairSync('ed25519');
	const rsa = ssh2.utils.generateKeyPairSync('rsa', { bits: 2048 });
	const pattern = `[127.0.0.1]:${source.connection.port}`;
	for (const [name, line] of [
		['same key type, other key', `${pattern} ${other.public}`],
		['only another key type known', `${pattern} ${rsa.public}`],
		['the real key, but revoked', `@revoked * ${(await readFile(source.connection.knownHosts as string, 'utf8')).trim().split(' ').slice(1).join(' ')}`],
	] as const) {
		const knownHosts = join(root, `known_hosts_${name.replace(/\W+/g, '_')}`);
		await writeFile(knownHosts, `${line}\n`);
		const folder = join(root, `hostkey-${name.replace(/\W+/g, '_')}`);
		const result = await runToEnd(['backup', ...connectionFlags({ ...source.connection, knownHosts }), '--out', folder, '--accept-new-host-key']);
		assert.equal(result.code, 1, `${name}: ${result.stderr}`);
		assert.match(result.stderr.trim().split('\n').at(-1) ?? '', /host key of 127\.0\.0\.1:\d+ has changed \(now SHA256:/, name);
		assert.equal(await readFile(knownHosts, 'utf8'), `${line}\n`, `${name}: known_hosts untouched`);
		assert.deepEqual((await listTree(folder)).filter((e) => e.type === 'file'), [], `${name}: nothing fetched`);
	}
});
