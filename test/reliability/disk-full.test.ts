/**
 * The backup folder's disk fills up: a 4 MB tmpfs receives a 13 MB backup.
 * The run must stop with one sentence naming the full disk (and the room
 * needed), leave no incomplete file under a final name, and finish once the
 * disk is grown. Needs root (mount); skipped with a clear message otherwise.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, statfs, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readManifest } from '../../source/archive/manifest.js';
import { startDemoCluster, type DemoCluster } from '../../source/demo/cluster.js';
import { connectionFlags } from '../support/cli.js';
import { runToEnd } from './harness/cli.js';
import { assertBackupFolderSound, hasTemporary, referenceOf } from './harness/folder.js';

let root: string;
let mountPoint: string;
let mounted = false;
let source: DemoCluster | undefined;

function mount(args: string[]): void {
	execFileSync('mount', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

before(async () => {
	root = await mkdtemp(join(tmpdir(), 'rel-disk-'));
	mountPoint = join(root, 'small-disk');
	await mkdir(mountPoint);
	// A missing privilege fails the file with its reason: a skip would read as a pass.
	assert.equal(process.getuid?.(), 0, 'needs root to mount a small tmpfs (run the suite as root, as CI does)');
	try {
		mount(['-t', 'tmpfs', '-o', 'size=4m,mode=0755', 'tmpfs', mountPoint]);
		mounted = true;
	} catch (error) {
		throw new Error(`cannot mount a tmpfs here (${String((error as { stderr?: Buffer }).stderr ?? error).trim()})`);
	}
	source = await startDemoCluster({ root, mode: 'source' });
});

after(async () => {
	await source?.stop();
	if (mounted) execFileSync('umount', [mountPoint]);
	await rm(root, { recursive: true, force: true });
});

test('a full disk: one clear sentence, nothing corrupt left, and the same command finishes once there is room', async () => {
	const cluster = source as DemoCluster;
	const clean = join(root, 'reference');
	const reference = await runToEnd(['backup', ...connectionFlags(cluster.connection), '--out', clean]);
	assert.equal(reference.code, 0, reference.stderr);
	const objects = referenceOf(await readManifest(clean));

	const folder = join(mountPoint, 'backup');
	const args = ['backup', ...connectionFlags(cluster.connection), '--out', folder];
	const full = await runToEnd(args);
	assert.equal(full.code, 1, full.stderr);
	const last = full.stderr.trim().split('\n').at(-1) ?? '';
	assert.match(last, /The disk holding .*small-disk\/backup.* is full \(about [\d.]+ MB more is needed\); free space/, last);
	assert.doesNotMatch(full.stderr, /unexpected error|    at .*\(|ENOSPC: no space left/, 'no raw error or stack trace');
	// Whatever carries a final name is whole; the half-written temporaries were removed.
	await assertBackupFolderSound(folder, objects, 'disk full');
	assert.equal(await hasTemporary(folder), false, 'no temporary files left taking space');

	mount(['-o', 'remount,size=64m', mountPoint]);
	const again = await runToEnd(args);
	assert.equal(again.code, 0, again.stderr);
	const { manifest } = await assertBackupFolderSound(folder, objects, 'after growing the disk');
	assert.ok(manifest);
	assert.deepEqual(referenceOf(manifest), objects);
	assert.equal((await runToEnd(['verify', folder])).code, 0);
});

test('the disk fills up while a new volume archive is written over a finished backup: the old backup stays whole', async () => {
	const cluster = source as DemoCluster;
	const folder = join(mountPoint, 'backup');
	const before = await readFile(join(folder, 'manifest.json'), 'utf8');
	// Leave about 64 kB: the buckets are already saved (nothing to download), the new tarball (~200 kB) cannot fit.
	const info = await statfs(mountPoint);
	const filler = join(mountPoint, 'filler');
	await writeFile(filler, Buffer.alloc(Math.max(0, info.bavail * info.bsize - 64 * 1024)));
	try {
		const result = await runToEnd(['backup', ...connectionFlags(cluster.connection), '--out', folder]);
		assert.equal(result.code, 1, result.stderr);
		assert.match(result.stderr.trim().split('\n').at(-1) ?? '', /disk holding .* is full/, result.stderr);
		assert.equal(await hasTemporary(folder), false, 'the half-written archive was removed');
		assert.equal(await readFile(join(folder, 'manifest.json'), 'utf8'), before, 'the finished backup is untouched');
		const { manifest } = await assertBackupFolderSound(folder, referenceOf(await readManifest(folder)), 'failed re-run on a full disk');
		assert.ok(manifest, 'the earlier manifest still verifies, tarball included');
	} finally {
		await rm(filler, { force: true });
	}
});
