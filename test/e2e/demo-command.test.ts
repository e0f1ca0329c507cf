/**
 * The README's first command without a terminal, as CI runs it: the demo
 * backs up one in-process cluster, restores into another, verifies, cleans up.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../support/cli.js';

test('deis-backup demo --plain --yes: backup, restore, verify, and nothing left behind', async () => {
	// A temp dir of the run's own: another demo on the machine (a parallel test run) cannot put or take folders here.
	const tmp = await mkdtemp(join(tmpdir(), 'demo-command-'));
	try {
		const result = await runCli(['demo', '--plain', '--yes'], { TMPDIR: tmp });
		assert.equal(result.code, 0, result.stderr);
		assert.match(result.stdout, /Backup finished .* \d+ objects/);
		assert.match(result.stderr, /Verified \d+ objects and \d+ etcd keys: all match the backup/);
		assert.match(result.stderr, /Demo complete/);
		assert.match(result.stderr, new RegExp(`${tmp.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/deis-backup-demo-`), 'the demo worked in the temp dir it was given');
		assert.deepEqual(await readdir(tmp), [], 'the demo removes its temporary folder');
	} finally {
		await rm(tmp, { recursive: true, force: true });
	}
});
