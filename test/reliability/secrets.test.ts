/**
 * Secrets and access: the gateway keys and the database dump's content never
 * appear in anything the tool prints or writes (dump_all.sql aside); the
 * backup folder is private whatever the umask; host keys are checked against
 * known_hosts, a new one needs --accept-new-host-key, a changed one always stops.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import ssh2 from 'ssh2';
import { saveProfile } from '../../source/config/profiles.js';
import { startDemoCluster, type DemoCluster } from '../../source/demo/cluster.js';
import { operatorSettings } from '../../source/demo/settings.js';
import { SETTINGS_FILE } from '../../source/archive/settings-file.js';
import { classify } from '../../source/steps/settings/catalog.js';
import { MASKED } from '../../source/steps/settings/display.js';
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

	// A run stopped mid-download leaves journals behind: they are read too.
	const interrupted = spawnCli(args, { pauseAt: 'journaled db_wal' });
	assert.ok(await interrupted.paused, 'the run stops at its first journal line');
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

/** The demo's secret settings (and unknown keys, masked as they may hold anything), with their longer lines so a partial print is caught too. */
function settingSecrets(): Record<string, string> {
	const needles: Record<string, string> = {};
	for (const [key, value] of Object.entries(operatorSettings())) {
		if (!classify(key, 'ceph').secret) continue;
		needles[key] = value;
		const decoded = key.endsWith('/sshPrivateKey') ? Buffer.from(value, 'base64').toString('utf8') : value;
		decoded.split('\n').filter((line) => line.length > 20 && !line.startsWith('-----')).forEach((line, i) => (needles[`${key} line ${i}`] = line));
	}
	return needles;
}

test('secret platform settings stay off the screen, --json, the hosts’ command logs and every file but platform-settings.json', async () => {
	const target = await startDemoCluster({ root, mode: 'fresh', name: 'settings-target' });
	try {
		const folder = join(root, 'settings-backup');
		const printed: Array<{ path: string; text: string }> = [];
		const keep = (name: string, exit: Exit) => printed.push({ path: `${name} stdout`, text: exit.stdout }, { path: `${name} stderr`, text: exit.stderr });
		const saved = await runToEnd(['backup', ...connectionFlags(source.connection), '--out', folder, '--skip-volume']);
		assert.equal(saved.code, 0, saved.stderr);
		keep('backup', saved);
		const restored = await runToEnd(['restore', folder, '--yes', ...connectionFlags(target.connection)]);
		assert.equal(restored.code, 0, restored.stderr);
		keep('restore', restored);
		assert.match(restored.stderr, /\[x\] router\/sslKey {2}•••••• \(secret, masked\)/, 'the preview names the key with the marker');
		const listed = await runToEnd(['settings', folder]);
		assert.equal(listed.code, 0, listed.stderr);
		assert.match(listed.stdout, /platform\/sshPrivateKey +•••••• \(secret, masked\)/);
		keep('settings', listed);
		const json = await runToEnd(['settings', folder, '--json']);
		assert.equal(json.code, 0, json.stderr);
		const report = JSON.parse(json.stdout) as { settings: Array<{ key: string; value: string; secret: boolean }>; unknown: Array<{ key: string; value: string }> };
		assert.equal(report.settings.find((entry) => entry.key === 'controller/auth/ldap/bind/password')?.value, MASKED);
		assert.equal(report.settings.find((entry) => entry.key === 'router/sslCert')?.value, operatorSettings()['/deis/router/sslCert'], 'non-secret values are given whole');
		assert.equal(report.unknown[0]?.value, MASKED);
		keep('settings --json', json);

		const secrets = settingSecrets();
		assert.ok(Object.keys(secrets).length >= 8, 'secrets to look for');
		// The values did reach the new cluster: their absence elsewhere is not for want of carrying them.
		assert.equal(target.etcd.get('/deis/router/sslKey'), operatorSettings()['/deis/router/sslKey']);
		const files = (await everyFile(folder)).filter((file) => file.path !== SETTINGS_FILE);
		assert.ok(files.some((file) => file.path === 'manifest.json'));
		const hostLogs = [source, target].map((cluster) => ({ path: `${cluster.name} command log`, text: cluster.log.map((entry) => entry.command).join('\n') }));
		assertAbsent([...printed, ...files, ...hostLogs], secrets);
		const settingsFile = await readFile(join(folder, SETTINGS_FILE), 'utf8');
		assert.ok(settingsFile.includes(JSON.stringify(operatorSettings()['/deis/router/sslKey'])), 'the settings file is where they are kept');
	} finally {
		await target.stop();
	}
});

test('the backup folder is 0700 and every file 0600, nested folders included, even under umask 000', async () => {
	const folder = join(root, 'modes');
	const args = ['backup', ...connectionFlags(source.connection), '--out', folder];
	const stopped = spawnCli(args, { umask: '000', pauseAt: 'journaled db_wal' });
	assert.ok(await stopped.paused, 'the run stops at its first journal line');
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
	assert.deepEqual((await listTree(folder)).filter((e) => e.type === 'file'), [], 'nothing downloaded');

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
		assert.deepEqual((await listTree(folder)).filter((e) => e.type === 'file'), [], `${name}: nothing downloaded`);
	}
});
