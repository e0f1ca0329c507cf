/**
 * The compiled binary in a pseudo-terminal (tmux), for what only a terminal
 * shows: exit codes of Ctrl-C in the wizard face, answers typed quickly or
 * ahead, --yes with no question, and a 60-column layout.
 *
 *   npm run build && node --import tsx --test test/e2e-pty/wizard-keys.test.ts
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { startDemoCluster, type DemoCluster } from '../../source/demo/cluster.js';
import { CLI, REPO, Pane, PausePoints, cliEnv, flat, scratch, requireTmux } from './tmux.js';

await requireTmux();
const { panes, tempDir, cleanup } = scratch();
after(cleanup);

async function start(argv: string[], options: { width?: number; height?: number; home?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Pane> {
	const home = options.home ?? (await tempDir('deis-backup-home-'));
	const pane = await Pane.start({ argv, cwd: REPO, env: cliEnv(home, options.env), width: options.width ?? 100, height: options.height ?? 30 });
	panes.push(pane);
	return pane;
}

describe('the demo in a terminal', () => {
	before(() => assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build first`));

	test('60 columns: the intro breaks between words, not inside its URL; Ctrl-C before anything runs exits 130', { timeout: 60_000 }, async () => {
		const pane = await start([process.execPath, CLI, 'demo'], { width: 60, height: 30 });
		const screen = await pane.waitFor('❯ Use these settings', 30_000);
		const lines = screen.split('\n');
		assert.ok(lines.some((line) => /http:\/\/127\.0\.0\.1:\d+\s*$/.test(line) || /http:\/\/127\.0\.0\.1:\d+[\s)]/.test(line)), `the gateway URL is whole on one line:\n${screen}`);
		assert.ok(lines.some((line) => /\/deis-backup-demo-[A-Za-z0-9]{6}\b/.test(line)), `the demo folder is whole on one line:\n${screen}`);
		// Every line of the labelled part starts in a column, none at column 0.
		const intro = lines.slice(lines.findIndex((l) => l.includes('source cluster')), lines.findIndex((l) => l.startsWith('Connection')));
		assert.ok(intro.length >= 5, screen);
		assert.deepEqual(intro.filter((line) => /^\S/.test(line)), [], `no line of the description wraps back to column 0:\n${intro.join('\n')}`);
		await pane.press('C-c');
		assert.equal(await pane.waitForExit(), 130);
		assert.match(flat(await pane.screen()), /Stopped before anything ran; nothing was changed\./);
	});

	test('y and Enter typed in one go start the backup; Ctrl-C in the middle of it exits 130', { timeout: 60_000 }, async () => {
		const pauses = new PausePoints(join(await tempDir('deis-backup-pauses-'), 'pauses'));
		// One object at a time, each saved object a pause: the download cannot end before the test lets it.
		const pane = await start([process.execPath, CLI, 'demo', '--concurrency', '1'], { env: pauses.env('download saved#1+') });
		await pane.waitFor('❯ Use these settings', 30_000);
		await pane.press('Enter');
		await pane.waitFor(/\? Start the backup\? \(Y\/n\) ›\s*$/);
		await pane.type('y\r');
		await pane.waitFor(/✔ Start the backup\? · Yes/);
		const pid = await pauses.next(pane);
		assert.ok(pid, 'the backup stops at its first saved object');
		// Queued while the run stands still, read as soon as it goes on; each further object waits for the test again.
		await pane.press('C-c');
		for (let stopped: number | undefined = pid; stopped !== undefined; stopped = await pauses.next(pane)) pauses.resume(stopped);
		const code = await pane.waitForExit(30_000);
		const screen = flat(await pane.screen());
		assert.equal(code, 130, screen);
		assert.match(screen, /Backup stopped at your request \(Ctrl-C\)/);
		assert.doesNotMatch(screen, /Downloaded s3:\/\//, 'the stop came during the download');
		assert.doesNotMatch(screen, /Next: restore this backup/, 'the restore does not start after a stopped backup');
	});
});

describe('--yes and keys typed ahead, on demo clusters', () => {
	let root: string;
	let source: DemoCluster;
	let fresh: DemoCluster;

	before(async () => {
		assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build first`);
		root = await tempDir('deis-backup-pty-keys-');
		[source, fresh] = await Promise.all([startDemoCluster({ root, mode: 'source' }), startDemoCluster({ root, mode: 'fresh' })]);
	});
	after(async () => {
		await Promise.all([source?.stop(), fresh?.stop()]);
	});

	const flags = (c: DemoCluster['connection']) => ['--host', c.host, '--port', String(c.port), '--user', c.user, '--identity', c.identity!, '--known-hosts', c.knownHosts!, '--domain', c.domain, '--store-endpoint', c.storeEndpoint!];

	test('--yes in a terminal: backup then restore run at once in the live task view, with no question', { timeout: 90_000 }, async () => {
		const folder = join(root, 'backup-yes');
		const backup = await start([process.execPath, CLI, 'backup', ...flags(source.connection), '--out', folder, '--yes']);
		assert.equal(await backup.waitForExit(60_000), 0, await backup.screen());
		const saved = flat(await backup.screen());
		assert.match(saved, new RegExp(`Backing up core@127\\.0\\.0\\.1:${source.connection.port} → ${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
		assert.match(saved, /✔ Backup complete/);
		assert.doesNotMatch(saved, /\? |Connect with these settings|Save this connection/, 'nothing was asked');

		const restore = await start([process.execPath, CLI, 'restore', folder, ...flags(fresh.connection), '--yes']);
		assert.equal(await restore.waitForExit(60_000), 0, await restore.screen());
		const restored = flat(await restore.screen());
		assert.match(restored, /✔ Restore complete/);
		assert.doesNotMatch(restored, /\? |Connect with these settings|Overwrite objects|Save this connection/, 'nothing was asked');
		assert.ok(existsSync(join(folder, 'manifest.json')));
	});

	test('an Enter typed before the wizard appeared answers nothing', { timeout: 60_000 }, async () => {
		const dir = await tempDir('deis-backup-typeahead-');
		// The program starts only when the test says so, after the Enter is in the terminal's buffer.
		const go = join(dir, 'go');
		await promisify(execFile)('mkfifo', [go]);
		const c = source.connection;
		const pane = await start(['/bin/sh', '-c', 'read line < "$0"; exec "$@"', go, process.execPath, CLI, 'backup', '--host', c.host, '--known-hosts', c.knownHosts!, '--store-endpoint', c.storeEndpoint!]);
		await pane.press('Enter');
		await writeFile(go, 'go\n');
		await pane.waitFor(/\? Hostname or IP of a cluster machine \(127\.0\.0\.1\) ›\s*$/m, 20_000);
		// The question is still the open one: what is typed now lands in it.
		await pane.type('x');
		const screen = await pane.waitFor(/› x/);
		assert.match(screen, /\? Hostname or IP of a cluster machine \(127\.0\.0\.1\) › x/);
		assert.doesNotMatch(screen, /✔ Hostname|SSH port/, 'the early Enter did not accept the offered host');
		await pane.press('C-c');
		assert.equal(await pane.waitForExit(), 130);
	});

	test('--plain asks the same questions: y/n then Enter, and the word yes before writing to a cluster', { timeout: 90_000 }, async () => {
		const folder = join(root, 'backup-plain');
		const backup = await start([process.execPath, CLI, 'backup', ...flags(source.connection), '--out', folder, '--yes']);
		assert.equal(await backup.waitForExit(60_000), 0, await backup.screen());
		const pane = await start([process.execPath, CLI, 'restore', folder, '--plain', ...flags(fresh.connection)]);
		await pane.waitFor(/\? Skip “Extract the store volume archive”\? \(y\/N\)/, 20_000);
		await pane.press('Enter');
		await pane.waitFor(/\? Overwrite objects that differ when a bucket already has data\? \(type yes or no\)/, 20_000);
		// A lone Enter answers nothing here.
		await pane.press('Enter');
		await pane.waitFor('Type yes to go ahead, or no.');
		await pane.type('no');
		await pane.press('Enter');
		await pane.waitFor('Platform settings to apply to the new cluster (Space ticks, Enter applies)');
		await pane.press('Enter');
		await pane.waitFor(/\? This will write to the cluster 127\.0\.0\.1\. Continue\? \(type yes or no\)/);
		await pane.type('y');
		await pane.press('Enter');
		await pane.waitFor('Type the whole word yes to go ahead, or no.');
		await pane.type('es');
		await pane.press('Enter');
		assert.equal(await pane.waitForExit(60_000), 0, await pane.screen());
		assert.match(flat(await pane.screen()), /Restore finished/);
	});
});
