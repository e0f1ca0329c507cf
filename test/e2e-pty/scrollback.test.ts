/**
 * What an operator had on the terminal before the wizard is still there after
 * it: ink 6.8 clears the screen *and the scrollback* (ESC[3J) whenever its live
 * frame is as tall as the terminal, which on 80×24 happened in every restore.
 * Fifty numbered lines are printed, the demo's backup and restore are answered
 * by keys, and then the pane's whole history must still hold all fifty, the
 * finished screens (preview, task lines, summaries) must be in it, and the raw
 * output must never have asked the terminal to clear.
 *
 *   npm run build && node --import tsx --test test/e2e-pty/scrollback.test.ts
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, test } from 'node:test';
import { CLI, REPO, Pane, cliEnv, requireTmux } from './tmux.js';

await requireTmux();
const PRIOR = 50;
let pane: Pane | undefined;
let dir: string | undefined;

after(async () => {
	await pane?.close();
	if (dir) await rm(dir, { recursive: true, force: true });
});

const priorLine = (n: number) => `earlier shell output, line ${n} of ${PRIOR}`;

test('80×24: 50 earlier lines survive a demo backup and restore; nothing clears the scrollback', { timeout: 120_000 }, async () => {
	assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build first`);
	dir = await mkdtemp(join(tmpdir(), 'deis-backup-scrollback-'));
	const raw = join(dir, 'raw');
	// The program waits on a FIFO after the 50 lines, so recording starts before its first byte.
	const go = join(dir, 'go');
	await promisify(execFile)('mkfifo', [go]);
	const script = `i=1; while [ $i -le ${PRIOR} ]; do echo "earlier shell output, line $i of ${PRIOR}"; i=$((i+1)); done; read line < "$0"; exec "$@"`;
	pane = await Pane.start({ argv: ['/bin/sh', '-c', script, go, process.execPath, CLI, 'demo'], cwd: REPO, env: cliEnv(dir), width: 80, height: 24 });
	await pane.waitFor(priorLine(PRIOR));
	await pane.record(raw);
	await writeFile(go, 'go\n');

	await pane.waitFor('❯ Use these settings', 30_000);
	await pane.press('Enter');
	await pane.waitFor(/Start the backup\? \(Y\/n\) ›\s*$/m);
	await pane.press('Enter');
	await pane.waitFor(/Next: restore this backup[\s\S]*❯ Use these settings/, 60_000);
	await pane.press('Enter');
	// The restore's questions: keep the store volume, never overwrite, then go.
	// At 80 columns these questions wrap, so the screen is read with its line breaks folded.
	await pane.waitFor(/\? Overwrite objects that differ when a bucket already has data\? \(type yes or no\) ›\s*$/, 20_000);
	await pane.answer('no');
	// The platform settings the restore would apply: Enter keeps the defaults.
	await pane.waitFor(/\? Platform settings to apply .*Enter applies\)/);
	await pane.press('Enter');
	await pane.waitFor(/\? This will write to the cluster 127\.0\.0\.1\. Continue\? \(type yes or no\) ›\s*$/, 20_000);
	await pane.answer('yes');
	assert.equal(await pane.waitForExit(60_000), 0);

	const history = (await pane.history()).split('\n');
	const missing = Array.from({ length: PRIOR }, (_, i) => priorLine(i + 1)).filter((line) => !history.includes(line));
	assert.deepEqual(missing, [], 'every earlier line is still in the scrollback');
	const at = (line: string | RegExp) => history.findIndex((l) => (typeof line === 'string' ? l.includes(line) : line.test(l)));
	assert.ok(at(priorLine(1)) < at(priorLine(PRIOR)) && at(priorLine(PRIOR)) < at('deis-backup demo:'), 'in their order, above the demo');
	// The finished screens stay, in order: backup preview, backup tasks and summary, then the restore's.
	const order = ['What will happen', '✔ Start the backup? · Yes', /^✔ Downloaded s3:\/\//, '✔ Backup complete', 'Next: restore this backup', '✔ Overwrite objects that differ when a bucket already has data? · No', '✔ This will write to the cluster', /^✔ Uploaded s3:\/\//, '✔ Restore complete'].map(at);
	assert.ok(order.every((index) => index >= 0), `every finished screen is in the scrollback: ${JSON.stringify(order)}`);
	assert.deepEqual([...order].sort((a, b) => a - b), order, 'in the order they happened');
	// Live frames are erased, never left behind: no spinner line, no "Elapsed", in the scrollback.
	assert.deepEqual(history.filter((line) => /^\s*[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] |^Elapsed \d/.test(line)), [], 'no leftover live lines');
	// The demo's ports and keys are thrown away: it never offers to save them as a profile.
	assert.ok(!history.some((line) => line.includes('Save this connection')), 'no profile offer in the demo');

	const written = await readFile(raw, 'latin1');
	assert.ok(written.includes('Restore complete'), 'the recording holds the whole run');
	assert.ok(!written.includes('\u001b[3J'), 'never ESC[3J (erase the scrollback)');
	assert.ok(!written.includes('\u001b[2J'), 'never ESC[2J (erase the screen)');
});
