import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { listTarGz, tarGzReader, type TarContents } from '../../source/archive/tar-list.js';
import { runPool } from '../../source/util/pool.js';

async function storeTree(): Promise<{ root: string; tree: string; files: Record<string, number> }> {
	const root = await mkdtemp(join(tmpdir(), 'tar-'));
	const tree = join(root, 'store');
	const long = `logs/${'deep/'.repeat(30)}${'x'.repeat(120)}.log`;
	const files: Record<string, number> = { 'logs/deis-registry.log': 70_000, 'a.txt': 0, [long]: 1234, 'ünïcode name.log': 10 };
	for (const [path, size] of Object.entries(files)) {
		await mkdir(join(tree, path, '..'), { recursive: true });
		await writeFile(join(tree, path), Buffer.alloc(size, 7));
	}
	// A link is not a regular file: it is not listed, and its long target must not derail the headers after it.
	await symlink(long, join(tree, `link-${'y'.repeat(110)}`));
	return { root, tree, files };
}

test('lists regular files with sizes, long GNU and pax names and a pax global header included', async () => {
	const { root, tree, files } = await storeTree();
	// comment=… (no colon) goes in a global header, which applies to every entry after it.
	const formats: Record<string, string[]> = { gnu: ['--format=gnu'], pax: ['--format=pax'], 'pax with a global header': ['--format=pax', '--pax-option=comment=deis'] };
	for (const [name, options] of Object.entries(formats)) {
		const archive = join(root, `${name}.tar.gz`);
		execFileSync('tar', ['-C', tree, ...options, '-czf', archive, '.']);
		if (name.includes('global')) assert.ok(gunzipSync(readFileSync(archive)).includes('comment=deis'), 'the archive has the global header');
		const listed = Object.fromEntries((await listTarGz(archive)).map((f) => [f.path, f.size]));
		assert.deepEqual(listed, files, name);
	}
});

async function read(tarball: Buffer): Promise<TarContents> {
	const reader = tarGzReader();
	reader.input.end(tarball);
	return reader.contents;
}

test('a whole archive ends; one cut between two files does not; a damaged header is refused', async () => {
	const { tree } = await storeTree();
	const tar = execFileSync('tar', ['-C', tree, '--format=gnu', '-cf', '-', '.']);
	assert.equal((await read(gzipSync(tar))).ended, true);
	// tar killed between two files, here after its first entry ('./', a header alone): gzip still closes the stream properly.
	const cut = tar.subarray(0, 512);
	assert.equal((await read(gzipSync(cut))).ended, false);
	const damaged = Buffer.from(tar);
	damaged[0] = (damaged[0] ?? 0) ^ 0xff;
	await assert.rejects(read(gzipSync(damaged)), /Invalid tar header/);
	await assert.rejects(read(gzipSync(tar).subarray(0, 100)), /unexpected end of file/);
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
