/**
 * The command line's conventions, through the compiled CLI without a
 * terminal: per-command help, documented environment, one validation before
 * any side effect, --dry-run as the plan, the restore's preflight, verify of
 * several folders, results on stdout, --json, -q, and a quiet EPIPE.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startDemoCluster, type DemoCluster } from '../../source/demo/cluster.js';
import { CLI, connectionFlags, runCli } from '../support/cli.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

let root: string;
let source: DemoCluster;
let fresh: DemoCluster;
let backup: string;

before(async () => {
	root = await mkdtemp(join(tmpdir(), 'cli-contract-'));
	[source, fresh] = await Promise.all([startDemoCluster({ root, mode: 'source' }), startDemoCluster({ root, mode: 'fresh', name: 'fresh' })]);
	backup = join(root, 'backup');
	const made = await runCli(['backup', ...connectionFlags(source.connection), '--out', backup]);
	assert.equal(made.code, 0, made.stderr);
});

after(async () => {
	await Promise.all([source?.stop(), fresh?.stop()]);
	await rm(root, { recursive: true, force: true });
});

function lastLine(text: string): string {
	return text.trim().split('\n').at(-1) ?? '';
}

/** An empty folder to run in: whatever a run leaves in its working directory shows there. */
async function emptyCwd(name: string): Promise<string> {
	const dir = join(root, `cwd-${name}`);
	await rm(dir, { recursive: true, force: true });
	await mkdir(dir);
	return dir;
}

test('each command has its own --help with examples; `help COMMAND` says the same', async () => {
	const global = await runCli(['--help']);
	assert.equal(global.code, 0);
	for (const command of ['backup', 'restore', 'verify', 'demo']) {
		const help = await runCli([command, '--help']);
		assert.equal(help.code, 0, command);
		assert.notEqual(help.stdout, global.stdout, `${command} --help is not the global help`);
		assert.match(help.stdout, new RegExp(`^deis-backup ${command}`), command);
		assert.match(help.stdout, /\nExamples\n {2}deis-backup /, `${command} --help shows examples`);
		assert.equal((await runCli(['help', command])).stdout, help.stdout, `help ${command}`);
	}
	assert.match((await runCli(['restore', '--help'])).stdout, /--skip-preflight/);
	assert.match((await runCli(['backup', '--help'])).stdout, /deis-backup backup \[DIR\]/);
});

test('every environment variable the code reads, --keep, backup DIR and the output flags are documented in --help and README', async () => {
	const help = (await runCli(['--help'])).stdout;
	const readme = await readFile(join(REPO, 'README.md'), 'utf8');
	const names = new Set<string>();
	const walk = async (dir: string): Promise<void> => {
		for (const entry of await readdir(dir, { withFileTypes: true })) {
			const path = join(dir, entry.name);
			if (entry.isDirectory()) await walk(path);
			else for (const match of (await readFile(path, 'utf8')).matchAll(/\bDEIS_BACKUP_[A-Z_]+\b/g)) names.add(match[0]);
		}
	};
	await walk(join(REPO, 'source'));
	assert.ok(names.size >= 8, `found the variables: ${[...names].join(' ')}`);
	for (const name of [...names, 'XDG_CONFIG_HOME', 'NO_COLOR', 'FORCE_COLOR']) {
		// Test-only hooks (DEIS_BACKUP_TEST_*) are for the suite, not operators: README's Tests section names them, --help does not.
		if (name.startsWith('DEIS_BACKUP_TEST_')) assert.ok(!help.includes(name), `${name} kept out of --help`);
		else assert.ok(help.includes(name), `${name} in --help`);
		assert.ok(readme.includes(name), `${name} in README`);
	}
	for (const words of ['--keep', 'backup  [DIR]', '--json', '-q, --quiet', '-v, --verbose', '--skip-preflight']) assert.ok(help.includes(words), `${words} in --help`);
	for (const words of ['--keep', 'deis-backup backup DIR', '--json', '-q', '-v', '--skip-preflight', 'verify A B']) assert.ok(readme.includes(words), `${words} in README`);
});

test('bad values are usage errors (exit 2) naming the flag, before anything is created or connected, for a run and a dry run alike', async () => {
	const flags = connectionFlags(source.connection);
	const cases: Array<{ args: string[]; flag: RegExp }> = [
		{ args: ['backup', ...flags, '--scale-gateways', '999'], flag: /^deis-backup: --scale-gateways: "999" is not a whole number from 1 to 16/ },
		{ args: ['backup', ...flags, '--buckets', 'db_wal,a/b'], flag: /^deis-backup: --buckets: "a\/b" is not a valid bucket name/ },
		{ args: ['backup', ...flags, '--concurrency', '0'], flag: /^deis-backup: --concurrency:/ },
		{ args: ['backup', ...connectionFlags({ ...source.connection, storeEndpoint: 'https://deis-store.example.com' })], flag: /^deis-backup: --store-endpoint: .*https is not supported/ },
		{ args: ['restore', backup, ...connectionFlags(fresh.connection), '--yes', '--body-size', 'lots'], flag: /^deis-backup: --body-size: "lots" is not a size in nginx syntax/ },
		{ args: ['restore', backup, ...connectionFlags(fresh.connection), '--yes', '--body-size', '99g'], flag: /^deis-backup: --body-size: 99g is too large/ },
		{ args: ['restore', join(root, 'no-such-backup'), ...connectionFlags(fresh.connection), '--yes'], flag: /does not exist; name a backup folder/ },
		{ args: ['restore', backup, backup, ...connectionFlags(fresh.connection), '--yes'], flag: /restore takes one backup folder/ },
		{ args: ['backup', 'a', 'b', ...flags], flag: /backup takes one folder/ },
	];
	const sourceBefore = source.log.length;
	const freshBefore = fresh.log.length;
	for (const { args, flag } of cases) {
		for (const dry of [false, true]) {
			const cwd = await emptyCwd('usage');
			const result = await runCli([...args, ...(dry ? ['--dry-run'] : [])], {}, 30_000, cwd);
			const what = `${args.join(' ')}${dry ? ' --dry-run' : ''}`;
			assert.equal(result.code, 2, `${what}: ${result.stderr}`);
			assert.match(lastLine(result.stderr), flag, what);
			assert.equal(result.stdout, '', `${what}: nothing on stdout`);
			assert.deepEqual(await readdir(cwd), [], `${what}: nothing created`);
		}
	}
	assert.equal(source.log.length, sourceBefore, 'no command reached the source cluster');
	assert.equal(fresh.log.length, freshBefore, 'no command reached the fresh cluster');
});

test('--dry-run is the plan: --buckets, --scale-gateways and --body-size shape its commands, and nothing is touched', async () => {
	const out = join(root, 'dry-backup');
	const dry = await runCli(['backup', ...connectionFlags(source.connection), '--out', out, '--buckets', 'extra_one,extra_two', '--scale-gateways', '3', '--dry-run']);
	assert.equal(dry.code, 0, dry.stderr);
	assert.match(dry.stdout, /sync s3:\/\/extra_one /);
	assert.match(dry.stdout, /sync s3:\/\/extra_two /);
	assert.doesNotMatch(dry.stdout, /s3:\/\/db_wal|s3:\/\/registry/, '--buckets replaces the defaults');
	assert.match(dry.stdout, /'deisctl scale store-gateway=3'/);
	assert.match(dry.stdout, /# then back: .*store-gateway=<as many as before>/);
	await assert.rejects(readdir(out), /ENOENT/);

	const restore = await runCli(['restore', backup, ...connectionFlags(fresh.connection), '--body-size', '1g', '--reset-body-size', '--dry-run']);
	assert.equal(restore.code, 0, restore.stderr);
	assert.match(restore.stdout, /'deisctl config router set bodySize=1g'/);
	assert.doesNotMatch(restore.stdout, /bodySize=100m/);
	assert.match(restore.stdout, /# Put the router body size back/);
	const manifest = JSON.parse(await readFile(join(backup, 'manifest.json'), 'utf8')) as { buckets: Array<{ name: string }> };
	for (const bucket of manifest.buckets) assert.match(restore.stdout, new RegExp(`mb s3://${bucket.name}\\n`), 'the buckets are the backup\'s');
	assert.equal(fresh.log.length, 0, 'a dry run sends nothing to the cluster');
	assert.ok(!(await readdir(join(backup, '.deis-backup')).catch(() => [])).some((name) => name.startsWith('restore-')), 'and writes no journal');
});

test("--dry-run refuses what the run refuses, with the same exit code: another cluster's folder, a damaged backup", async () => {
	const other = join(root, 'other-cluster');
	await cp(backup, other, { recursive: true });
	const manifestPath = join(other, 'manifest.json');
	const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { cluster: { domain: string } };
	manifest.cluster.domain = 'other.example.com';
	await writeFile(manifestPath, JSON.stringify(manifest));
	for (const dry of [[], ['--dry-run']]) {
		const result = await runCli(['backup', ...connectionFlags(source.connection), '--out', other, ...dry]);
		assert.equal(result.code, 1, result.stderr);
		assert.match(lastLine(result.stderr), /holds a backup of another cluster \(other\.example\.com\)/);
	}
	const damaged = join(root, 'damaged-dry');
	await cp(backup, damaged, { recursive: true });
	await writeFile(join(damaged, 'dump_all.sql'), 'not the dump');
	const dry = await runCli(['restore', damaged, ...connectionFlags(fresh.connection), '--dry-run']);
	assert.equal(dry.code, 3, dry.stderr);
	assert.match(dry.stderr, /wrong size: dump_all\.sql/);
});

test('a restore first reads the whole backup against its manifest: a damaged one stops with exit 3, a list, and nothing sent to the cluster', async () => {
	const damaged = join(root, 'damaged');
	await cp(backup, damaged, { recursive: true });
	const manifest = JSON.parse(await readFile(join(damaged, 'manifest.json'), 'utf8')) as { buckets: Array<{ folder: string; objects: Array<{ path: string }> }> };
	const bucket = manifest.buckets[0]!;
	const flipped = `${bucket.folder}/${bucket.objects[0]!.path}`;
	const bytes = await readFile(join(damaged, flipped));
	bytes[0]! ^= 0xff;
	await writeFile(join(damaged, flipped), bytes);
	await rm(join(damaged, 'store_file_backup.tar.gz'));
	const before = fresh.log.length;
	const result = await runCli(['restore', damaged, ...connectionFlags(fresh.connection), '--yes']);
	assert.equal(result.code, 3, result.stderr);
	assert.match(result.stderr, new RegExp(`wrong checksum: ${flipped.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
	assert.match(result.stderr, /missing: store_file_backup\.tar\.gz/);
	assert.match(lastLine(result.stderr), /is damaged: 2 of \d+ files do not match its manifest\. Nothing was changed on the cluster/);
	assert.equal(fresh.log.length, before, 'not one command reached the cluster');

	const json = await runCli(['restore', damaged, ...connectionFlags(fresh.connection), '--yes', '--json']);
	const summary = JSON.parse(json.stdout) as { exitCode: number; problems: string[] };
	assert.equal(json.code, 3);
	assert.equal(summary.exitCode, 3);
	assert.equal(summary.problems.length, 2);
});

test('verify A B checks both: each verdict on stdout, the worst exit code', async () => {
	const damaged = join(root, 'verify-damaged');
	await cp(backup, damaged, { recursive: true });
	await writeFile(join(damaged, 'dump_all.sql'), 'tampered');
	const both = await runCli(['verify', backup, damaged]);
	assert.equal(both.code, 3, both.stderr);
	assert.match(both.stdout, new RegExp(`All \\d+ files \\(.*\\) match ${backup}/manifest\\.json`));
	assert.match(both.stdout, /wrong size: dump_all\.sql/);
	assert.match(both.stdout, new RegExp(`1 of \\d+ files in ${damaged} do not match`));
	const notBackup = await runCli(['verify', backup, join(root, 'nothing-here')]);
	assert.equal(notBackup.code, 1);
	assert.match(notBackup.stdout, /All \d+ files/);
	assert.match(notBackup.stderr, /holds no manifest\.json/);
	const json = await runCli(['verify', backup, damaged, '--json']);
	const parsed = JSON.parse(json.stdout) as { exitCode: number; folders: Array<{ folder: string; ok: boolean; problems: string[] }> };
	assert.equal(parsed.exitCode, 3);
	assert.deepEqual(parsed.folders.map((f) => [f.folder, f.ok]), [[backup, true], [damaged, false]]);
});

test('results on stdout, progress on stderr; -q leaves only the result; --json is one summary without secrets', async () => {
	const plain = await runCli(['backup', ...connectionFlags(source.connection), '--out', join(root, 'out-plain')]);
	assert.equal(plain.code, 0, plain.stderr);
	assert.match(plain.stdout, /^Manifest: .*manifest\.json\nBackup finished in .*: \d+ objects, .* in .*out-plain\n$/);
	assert.match(plain.stderr, /✔ Connect to/);
	assert.doesNotMatch(plain.stderr, /Backup finished/);

	const quiet = await runCli(['backup', ...connectionFlags(source.connection), '--out', join(root, 'out-quiet'), '-q']);
	assert.equal(quiet.code, 0, quiet.stderr);
	// Warnings stay: they are part of the outcome (tar's live-file note), never progress.
	assert.deepEqual(quiet.stderr.split('\n').filter((line) => line && !line.startsWith('warning: ')), []);
	assert.doesNotMatch(quiet.stderr, /✔|›/);
	assert.match(quiet.stdout, /Backup finished/);

	const json = await runCli(['backup', ...connectionFlags(source.connection), '--out', join(root, 'out-json'), '--json']);
	assert.equal(json.code, 0, json.stderr);
	assert.equal(json.stdout.trim().split('\n').length, 1, 'one line');
	const summary = JSON.parse(json.stdout) as Record<string, unknown> & { saved: { buckets: Array<{ name: string; objects: number; bytes: number }>; volume: unknown; database: unknown } };
	assert.equal(summary.command, 'backup');
	assert.equal(summary.ok, true);
	assert.equal(summary.exitCode, 0);
	assert.equal(summary.folder, join(root, 'out-json'));
	assert.ok((summary.objects as number) > 0);
	assert.deepEqual(summary.saved.buckets.map((b) => b.name), ['db_wal', 'registry']);
	assert.ok(summary.saved.buckets.every((b) => b.objects > 0 && b.bytes > 0));
	assert.ok(summary.saved.volume && summary.saved.database);
	assert.ok(Array.isArray(summary.warnings));
	for (const secret of [source.gatewayKeys.accessKey, source.gatewayKeys.secretKey]) assert.ok(!json.stdout.includes(secret) && !json.stderr.includes(secret), 'no gateway key');

	const failed = await runCli(['backup', ...connectionFlags({ ...source.connection, port: 1 }), '--out', join(root, 'out-fail'), '--json']);
	assert.equal(failed.code, 1);
	const failure = JSON.parse(failed.stdout) as Record<string, unknown>;
	assert.equal(failure.exitCode, 1);
	assert.equal(failure.ok, false);
	assert.equal(failure.folderRemoved, true);
	assert.match(String(failure.error), /Nothing accepts SSH connections/);

	const usage = await runCli(['backup', ...connectionFlags(source.connection), '--scale-gateways', '999', '--json']);
	assert.equal(usage.code, 2);
	assert.equal((JSON.parse(usage.stdout) as { exitCode: number }).exitCode, 2);
});

test('a reader that goes away (`… | head`) is a quiet exit, not an EPIPE stack trace', async () => {
	const child = spawn(process.execPath, [CLI, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
	// The reading end closes before the program has loaded: its first write meets EPIPE.
	child.stdout.destroy();
	let stderr = '';
	child.stderr.on('data', (chunk) => (stderr += chunk));
	const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
	assert.equal(code, 0, stderr);
	assert.equal(stderr, '');
});
