import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { listTarGz } from '../../source/archive/tar-list.js';
import { runPool } from '../../source/util/pool.js';

test('lists regular files with sizes, long GNU and pax names included', async () => {
	const root = await mkdtemp(join(tmpdir(), 'tar-'));
	const tree = join(root, 'store');
	const long = `logs/${'deep/'.repeat(30)}${'x'.repeat(120)}.log`;
	const files: Record<string, number> = { 'logs/deis-registry.log': 70_000, 'a.txt': 0, [long]: 1234, 'ünïcode name.log': 10 };
	for (const [path, size] of Object.entries(files)) {
		await mkdir(join(tree, path, '..'), { recursive: true });
		await writeFile(join(tree, path), Buffer.alloc(size, 7));
	}
	for (const format of ['gnu', 'pax']) {
		const archive = join(root, `${format}.tar.gz`);
		execFileSync('tar', ['-C', tree, `--format=${format}`, '-czf', archive, '.']);
		const listed = Object.fromEntries((await listTarGz(archive)).map((f) => [f.path, f.size]));
		assert.deepEqual(listed, files, format);
	}
});

test('runPool bounds concurrency and reports the first failure after the others settle', async () => {
	let running = 0;
	let peak = 0;
	const finished: number[] = [];
	await assert.rejects(
		runPool([1, 2, 3, 4, 5, 6, 7, 8], 3, async (n) => {
			running++;
			peak = Math.max(peak, running);
			await new Promise((resolve) => setImmediate(resolve));
			running--;
			if (n === 2) throw new Error('boom 2');
			finished.push(n);
		}),
		/boom 2/,
	);
	assert.equal(peak, 3);
	assert.equal(running, 0, 'no worker still running after the pool returns');
	assert.ok(!finished.includes(8), 'no new work starts after a failure');
});
