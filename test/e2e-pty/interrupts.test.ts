/**
 * Interrupts and broken pipes in a real terminal: Ctrl-C at a --plain
 * question is exit 130 with one plain line (inquirer's ExitPromptError is
 * not a bug to report), and `deis-backup … | reader-that-leaves` ends
 * quietly instead of printing an EPIPE stack trace.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { CLI, flat, paneSession, requireTmux } from './tmux.js';

await requireTmux();
const session = paneSession();
const start = (argv: string[]) => session.start(argv);

after(() => session.close());

function assertNoStack(screen: string): void {
	assert.doesNotMatch(screen, /ExitPromptError|unexpected error|    at |EPIPE|node:internal/, `no stack trace:\n${screen}`);
}

test('Ctrl-C at the first --plain question: exit 130 and one plain line', async () => {
	const pane = await start([process.execPath, CLI, 'backup', '--plain']);
	await pane.waitFor('Where does the cluster run?');
	await pane.press('C-c');
	assert.equal(await pane.waitForExit(), 130);
	const screen = await pane.screen();
	assert.match(flat(screen), /deis-backup: stopped at the question; nothing was run\./);
	assertNoStack(screen);
});

test('Ctrl-C at a later --plain question (a typed answer): exit 130', async () => {
	const pane = await start([process.execPath, CLI, 'backup', '--plain', '--host', '127.0.0.1']);
	await pane.waitFor('SSH port');
	await pane.type('22');
	await pane.press('C-c');
	assert.equal(await pane.waitForExit(), 130);
	assertNoStack(await pane.screen());
});

test('a pipe whose reader leaves (`deis-backup --help | true`) ends quietly with 0', async () => {
	// pipefail: the pane's status is deis-backup's own exit code, not the reader's.
	const pane = await start(['/bin/bash', '-c', 'set -o pipefail; "$0" "$1" --help | true', process.execPath, CLI]);
	assert.equal(await pane.waitForExit(), 0);
	assertNoStack(await pane.screen());
});
