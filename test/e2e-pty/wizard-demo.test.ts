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
import { CLI, REPO, Pane, cliEnv, tmuxMissing } from './tmux.js';

const noTmux = await tmuxMissing();
let pane: Pane | undefined;
let home: string | undefined;

after(async () => {
	await pane?.close();
	if (home) await rm(home, { recursive: true, force: true });
});

test('demo: backup wizard, then restore wizard, then the process ends with 0', { skip: noTmux, timeout: 90_000 }, async () => {
	home = await mkdtemp(join(tmpdir(), 'deis-backup-home-'));
	pane = await Pane.start({ argv: [process.execPath, CLI, 'demo'], cwd: REPO, env: cliEnv(home), width: 120, height: 45 });
	await pane.waitFor('Use these settings', 30_000);
	await pane.press('Enter');
	await pane.waitFor('Start the backup? (Y/n)');
	await pane.press('Enter');
	await pane.waitFor('Save this connection as a profile', 60_000);
	await pane.press('n');
	await pane.waitFor(/Next: restore this backup[\s\S]*Use these settings/);
	await pane.press('Enter');
	for (;;) {
		// The settings picker lists its rows below its question: Enter applies the defaults.
		const screen = await pane.waitFor(/\? (Overwrite objects .*\(y\/N\)|Skip .*\(y\/N\)|This will write to the cluster .* Continue\? \(y\/N\))\s*$|\? Platform settings to apply .*Enter applies\)/);
		if (/Continue\? \(y\/N\)\s*$/.test(screen)) break;
		await pane.press('Enter');
		await pane.waitFor((next) => next !== screen);
	}
	await pane.press('y');
	const done = await pane.waitFor('Save this connection as a profile', 60_000);
	assert.match(done, /Restore complete/);
	await pane.press('n');
	assert.equal(await pane.waitForExit(15_000), 0);
});
