/**
 * The README's first command in a terminal: the demo's two wizards, a backup
 * then a restore into the fresh demo cluster, answered by keys to the end.
 * Two Ink apps in one process share the terminal's stdin: the second must
 * still hear keys, and the process must end after the last summary.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CLI, REPO, Pane, cliEnv, requireTmux } from './tmux.js';

await requireTmux();
let pane: Pane | undefined;
let home: string | undefined;

after(async () => {
	await pane?.close();
	if (home) await rm(home, { recursive: true, force: true });
});

test('demo: backup wizard, then restore wizard, then the process ends with 0', { timeout: 90_000 }, async () => {
	home = await mkdtemp(join(tmpdir(), 'deis-backup-home-'));
	pane = await Pane.start({ argv: [process.execPath, CLI, 'demo'], cwd: REPO, env: cliEnv(home), width: 120, height: 45 });
	await pane.waitFor('Use these settings', 30_000);
	await pane.press('Enter');
	await pane.waitFor('Start the backup? (Y/n)');
	await pane.press('Enter');
	// No profile question: the demo's clusters are gone at exit.
	await pane.waitFor(/Next: restore this backup[\s\S]*Use these settings/, 60_000);
	await pane.press('Enter');
	await pane.waitFor(/\? Overwrite objects that differ when a bucket already has data\? \(type yes or no\) ›\s*$/);
	await pane.answer('no');
	// The platform settings the restore would apply: Enter keeps the defaults.
	await pane.waitFor(/\? Platform settings to apply .*Enter applies\)/);
	await pane.press('Enter');
	await pane.waitFor(/\? This will write to the cluster .* Continue\? \(type yes or no\) ›\s*$/);
	await pane.answer('yes');
	assert.equal(await pane.waitForExit(60_000), 0);
	assert.match(await pane.screen(), /Restore complete/);
});
