/**
 * NO_COLOR (no-color.org) in a real terminal: the wizard's first screen has
 * colour escapes normally and none with NO_COLOR set.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CLI, REPO, Pane, cliEnv, requireTmux } from './tmux.js';

await requireTmux();
const panes: Pane[] = [];
let home: string | undefined;

after(async () => {
	await Promise.all(panes.map((pane) => pane.close()));
	if (home) await rm(home, { recursive: true, force: true });
});

// SGR colour parameters: 30-37/90-97 foreground, 38;… extended, 40-47 background.
const COLOUR = /\x1b\[(?:[0-9;]*;)?(?:3[0-8]|9[0-7]|4[0-7])(?:;[0-9;]*)?m/;

async function firstScreen(extra: NodeJS.ProcessEnv): Promise<string> {
	home ??= await mkdtemp(join(tmpdir(), 'deis-backup-home-'));
	const pane = await Pane.start({ argv: [process.execPath, CLI, 'backup'], cwd: REPO, env: cliEnv(home, extra), width: 100, height: 30 });
	panes.push(pane);
	await pane.waitFor('Where does the cluster run?');
	return pane.screen(true);
}

test('the wizard is coloured by default and plain with NO_COLOR', async () => {
	assert.match(await firstScreen({}), COLOUR, 'colours by default');
	assert.doesNotMatch(await firstScreen({ NO_COLOR: '1' }), COLOUR, 'no colours with NO_COLOR');
});
