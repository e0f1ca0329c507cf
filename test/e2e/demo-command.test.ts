/**
 * The README's first command without a terminal, as CI runs it: the demo
 * backs up one in-process cluster, restores into another, verifies, cleans up.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { runCli } from '../support/cli.js';

test('deis-backup demo --plain --yes: backup, restore, verify, and nothing left behind', async () => {
	const before = new Set((await readdir(tmpdir())).filter((name) => name.startsWith('deis-backup-demo-')));
	const result = await runCli(['demo', '--plain', '--yes']);
	assert.equal(result.code, 0, result.stderr);
	assert.match(result.stdout, /Backup finished .* \d+ objects/);
	assert.match(result.stderr, /Verified \d+ objects and \d+ etcd keys: all match the backup/);
	assert.match(result.stderr, /Demo complete/);
	const leftovers = (await readdir(tmpdir())).filter((name) => name.startsWith('deis-backup-demo-') && !before.has(name));
	assert.deepEqual(leftovers, [], 'the demo removes its temporary folder');
});
