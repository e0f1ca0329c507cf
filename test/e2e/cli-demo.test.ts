/**
 * The compiled CLI against a demo cluster: flags, exit codes, one-line errors.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startDemoCluster, type DemoCluster } from '../../source/demo/cluster.js';
import { connectionFlags, runCli } from '../support/cli.js';

let root: string;
let source: DemoCluster;

before(async () => {
	root = await mkdtemp(join(tmpdir(), 'cli-demo-'));
	source = await startDemoCluster({ root, mode: 'source' });
});

after(async () => {
	await source?.stop();
	await rm(root, { recursive: true, force: true });
});

/** The last line of stderr: what an operator reads. */
function lastLine(text: string): string {
	return text.trim().split('\n').at(-1) ?? '';
}

test('--help and --version answer without touching anything', async () => {
	const help = await runCli(['--help']);
	assert.equal(help.code, 0);
	assert.match(help.stdout, /deis-backup backup/);
	assert.match(help.stdout, /--dry-run/);
	const version = await runCli(['--version']);
	assert.equal(version.code, 0);
	assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
});

test('--dry-run prints the procedure commands in order and creates nothing', async () => {
	const out = join(root, 'dry');
	const result = await runCli(['backup', ...connectionFlags(source.connection), '--out', out, '--dry-run']);
	assert.equal(result.code, 0, result.stderr);
	const lines = result.stdout;
	const order = ['deisctl config store get gateway/accessKey', 's3cmd --signature-v2 sync s3://db_wal', 's3cmd --signature-v2 sync s3://registry', 'sudo tar -C /var/lib/deis/store -cpzf - .', 'pg_dumpall'];
	let last = -1;
	for (const expected of order) {
		const at = lines.indexOf(expected);
		assert.ok(at > last, `${expected} in order:\n${lines}`);
		last = at;
	}
	await assert.rejects(readdir(out), /ENOENT/);
	assert.equal(source.log.length, 0, 'no command reached the host');
});

test('bad input: each a one-line error naming what to do, and a non-zero exit', async () => {
	const c = source.connection;
	const emptyKnownHosts = join(root, 'empty_known_hosts');
	await writeFile(emptyKnownHosts, '');
	const otherKey = join(root, 'other_key');
	await writeFile(otherKey, '-----BEGIN OPENSSH PRIVATE KEY-----\nnot a key\n-----END OPENSSH PRIVATE KEY-----\n', { mode: 0o600 });
	const cases: Array<{ name: string; args: string[]; message: RegExp; code: number }> = [
		{ name: 'no host', args: ['backup', '--domain', 'x.example.com'], message: /pass --host/, code: 2 },
		{ name: 'bad port', args: ['backup', ...connectionFlags({ ...c, port: 70000 })], message: /--port/, code: 2 },
		{ name: 'hostile host', args: ['backup', ...connectionFlags({ ...c, host: 'a;rm -rf /' })], message: /--host: A host name cannot contain spaces or shell characters/, code: 2 },
		{ name: 'wrong port', args: ['backup', ...connectionFlags({ ...c, port: 1 }), '--out', join(root, 'w1')], message: /Nothing accepts SSH connections at 127\.0\.0\.1:1/, code: 1 },
		{ name: 'unreadable key', args: ['backup', ...connectionFlags({ ...c, identity: join(root, 'nope') }), '--out', join(root, 'w2')], message: /Cannot read the SSH key/, code: 1 },
		{ name: 'wrong key', args: ['backup', ...connectionFlags({ ...c, identity: otherKey }), '--out', join(root, 'w3')], message: /could not be read as a private key|refused the SSH key/, code: 1 },
		{ name: 'unknown host key', args: ['backup', ...connectionFlags({ ...c, knownHosts: emptyKnownHosts }), '--out', join(root, 'w4')], message: /not in .*--accept-new-host-key/, code: 1 },
		{ name: 'unreachable gateway', args: ['backup', ...connectionFlags({ ...c, storeEndpoint: 'http://127.0.0.1:1' }), '--out', join(root, 'w5')], message: /cannot be reached/, code: 1 },
		{ name: 'unknown command', args: ['frobnicate'], message: /Unknown command/, code: 2 },
		{ name: 'unknown flag', args: ['backup', '--hots', 'x'], message: /Unknown option --hots; did you mean --host\?/, code: 2 },
	];
	for (const item of cases) {
		const result = await runCli(item.args);
		assert.equal(result.code, item.code, `${item.name}: ${result.stderr}`);
		assert.match(lastLine(result.stderr), item.message, item.name);
		assert.doesNotMatch(result.stderr, /    at .*\(/, `${item.name}: no stack trace`);
	}
});

test('a backup, then verify, then verify catching a damaged file', async () => {
	const out = join(root, 'full');
	const backup = await runCli(['backup', ...connectionFlags(source.connection), '--out', out]);
	assert.equal(backup.code, 0, backup.stderr);
	assert.match(backup.stdout, /Backup finished/);
	const ok = await runCli(['verify', out]);
	assert.equal(ok.code, 0, ok.stderr);
	await writeFile(join(out, 'dump_all.sql'), 'tampered');
	const bad = await runCli(['verify', out]);
	assert.equal(bad.code, 3);
	assert.match(bad.stdout, /wrong size: dump_all\.sql/);
});

test('secrets never reach the output', async () => {
	const out = join(root, 'secret-check');
	const result = await runCli(['backup', ...connectionFlags(source.connection), '--out', out]);
	assert.equal(result.code, 0, result.stderr);
	const everything = result.stdout + result.stderr;
	assert.ok(!everything.includes(source.gatewayKeys.secretKey), 'secret key not printed');
	assert.ok(!everything.includes(source.gatewayKeys.accessKey), 'access key not printed');
	const manifest = await import('node:fs/promises').then((fs) => fs.readFile(join(out, 'manifest.json'), 'utf8'));
	assert.ok(!manifest.includes(source.gatewayKeys.secretKey));
});

test('a saved profile fills the connection; an unknown one is named', async () => {
	const config = join(root, 'xdg');
	const { saveProfile } = await import('../../source/config/profiles.js');
	await saveProfile('demo', source.connection, join(config, 'deis-backup', 'profiles.json'));
	const { stat, readFile } = await import('node:fs/promises');
	const file = join(config, 'deis-backup', 'profiles.json');
	assert.equal(((await stat(file)).mode & 0o777).toString(8), '600');
	assert.ok(!(await readFile(file, 'utf8')).includes(source.gatewayKeys.secretKey));
	const dry = await runCli(['backup', '--profile', 'demo', '--out', join(root, 'p'), '--dry-run'], { XDG_CONFIG_HOME: config });
	assert.equal(dry.code, 0, dry.stderr);
	assert.match(dry.stdout, new RegExp(`ssh -p ${source.connection.port} core@127\\.0\\.0\\.1`));
	const missing = await runCli(['backup', '--profile', 'nope', '--dry-run'], { XDG_CONFIG_HOME: config });
	assert.equal(missing.code, 2);
	assert.match(missing.stderr, /No saved profile named "nope" \(saved: demo\)/);
});
