/**
 * "Run the same command again to resume", made true without --out: the
 * per-day folder, the message that names it and the command, the re-run that
 * says it resumes, no empty folder after a run that saved nothing; and the
 * exit code 130 for interrupts, with the demo leaving nothing in the temp dir.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { defaultBackupName } from '../../source/archive/layout.js';
import { startDemoCluster, type DemoCluster } from '../../source/demo/cluster.js';
import { connectionFlags, runCli } from '../support/cli.js';
import { spawnCli } from '../reliability/harness/cli.js';

let root: string;
let source: DemoCluster;

before(async () => {
	root = await mkdtemp(join(tmpdir(), 'resume-'));
	source = await startDemoCluster({ root, mode: 'source' });
});

after(async () => {
	await source?.stop();
	await rm(root, { recursive: true, force: true });
});

async function cwdNamed(name: string): Promise<string> {
	const dir = join(root, name);
	await mkdir(dir);
	return dir;
}

function escape(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('a failed connection without --out leaves no folder behind, and says what to run again', async () => {
	const cwd = await cwdNamed('failed');
	const flags = ['backup', ...connectionFlags({ ...source.connection, port: 1 })];
	const result = await runCli(flags, {}, 60_000, cwd);
	assert.equal(result.code, 1, result.stderr);
	assert.deepEqual(await readdir(cwd), [], 'no empty folder');
	const folder = join(cwd, defaultBackupName(source.connection.domain));
	assert.match(result.stderr, new RegExp(`Nothing was saved, so the folder ${escape(folder)} was removed\\. Run again with: deis-backup backup .* --out ${escape(folder)}\\n`));
	assert.match(result.stderr.trim().split('\n').at(-1) ?? '', /Nothing accepts SSH connections/);
});

test('without --out: an interrupted backup names its folder and the exact command; running the same command resumes it, saying so', async () => {
	const cwd = await cwdNamed('interrupted');
	const folder = join(cwd, defaultBackupName(source.connection.domain));
	const args = ['backup', ...connectionFlags(source.connection), '--concurrency', '1'];
	// Ctrl-C right after the third object is journaled: the run stops itself there for it.
	const running = spawnCli(args, { cwd, pauseAt: 'journaled db_wal#3' });
	assert.ok(await running.paused, `the backup reached its third saved object:\n${running.stderr}`);
	const stopped = await running.resumeWith('SIGINT');
	assert.equal(stopped.code, 130, stopped.stderr);
	assert.match(stopped.stderr, /run the same command again to resume/);
	const resume = new RegExp(`The unfinished backup is in ${escape(folder)}; resume it with: (deis-backup backup .* --out ${escape(folder)})\\n`);
	const command = resume.exec(stopped.stderr)?.[1];
	assert.ok(command, `names the folder and the command:\n${stopped.stderr}`);
	assert.ok(command.includes(`--port ${source.connection.port}`) && command.includes('--concurrency 1'), 'the operator\'s own flags');
	assert.ok((await stat(folder)).isDirectory(), 'the folder with what was saved stays');

	// The same command, in the same place, on the same day: it finds the folder and resumes.
	const again = await runCli(args, {}, 120_000, cwd);
	assert.equal(again.code, 0, again.stderr);
	assert.match(again.stderr, new RegExp(`Resume the unfinished backup in ${escape(folder)}`));
	assert.match(again.stdout, new RegExp(`Backup finished in .* in ${escape(folder)}\\n`));
	const counts = /Downloaded s3:\/\/db_wal and s3:\/\/registry: (\d+) downloaded, (\d+) unchanged/.exec(again.stderr);
	assert.ok(counts, again.stderr);
	assert.ok(Number(counts[2]) > 0, `only what was missing is downloaded (${counts[1]} downloaded, ${counts[2]} unchanged)`);
	assert.deepEqual(await readdir(cwd), [defaultBackupName(source.connection.domain)], 'one folder, not one per run');

	// And once more: a finished backup is refreshed in place, downloading nothing unchanged.
	const third = await runCli(args, {}, 120_000, cwd);
	assert.equal(third.code, 0, third.stderr);
	assert.match(third.stderr, /Refresh the backup in .* \(only what changed is downloaded\)/);
	assert.match(third.stderr, /: 0 downloaded, 72 unchanged/);
});

/** A private TMPDIR: whatever the demo leaves there shows. */
async function privateTmp(name: string): Promise<string> {
	const dir = join(root, name);
	await mkdir(dir);
	return dir;
}

test('the demo: Ctrl-C while its clusters start exits 130 and leaves nothing in the temp dir', async () => {
	const tmp = await privateTmp('tmp-startup');
	const running = spawnCli(['demo', '--plain', '--yes'], { env: { TMPDIR: tmp } });
	// The demo's folder is made first, then the clusters start in it: interrupt as soon as it exists.
	const started = await running.until(async () => (await readdir(tmp)).some((name) => name.startsWith('deis-backup-demo-')), 'the demo folder');
	assert.ok(started, running.stderr);
	const exit = await running.kill('SIGINT');
	assert.equal(exit.code, 130, `exit ${exit.code} (signal ${exit.signal}):\n${exit.stderr}`);
	assert.doesNotMatch(exit.stderr, /    at .*\(|unexpected error/);
	assert.deepEqual(await readdir(tmp), [], 'nothing left in the temp dir');
});

test('the demo: Ctrl-C mid-run exits 130 and leaves nothing in the temp dir; with --keep the files stay', async () => {
	for (const keep of [false, true]) {
		const tmp = await privateTmp(`tmp-midrun-${keep}`);
		// Ctrl-C as the demo's backup starts its download: the run stops itself there for it.
		const running = spawnCli(['demo', '--plain', '--yes', ...(keep ? ['--keep'] : [])], { env: { TMPDIR: tmp }, pauseAt: 'backup buckets' });
		assert.ok(await running.paused, running.stderr);
		const exit = await running.resumeWith('SIGINT');
		assert.equal(exit.code, 130, exit.stderr);
		assert.match(exit.stderr, /Stopping safely/);
		const left = await readdir(tmp);
		if (keep) {
			assert.equal(left.length, 1, 'the demo folder is kept');
			assert.match(exit.stderr, new RegExp(`Demo files kept in ${escape(join(tmp, left[0]!))}`));
		} else assert.deepEqual(left, [], 'nothing left in the temp dir');
	}
});
