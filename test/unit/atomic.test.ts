import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import { isTemporaryName, temporarySibling } from '../../source/util/atomic.js';
import { Directories } from '../../source/archive/directories.js';

test('temporary names are siblings, distinct, and recognised as temporary (never as a final file)', () => {
	const target = '/backup/buckets/db_wal/wal_005/000000010000000000000003.lzo';
	const names = Array.from({ length: 1000 }, () => temporarySibling(target));
	assert.equal(new Set(names).size, names.length);
	for (const name of names) {
		assert.equal(dirname(name), dirname(target));
		assert.ok(isTemporaryName(basename(name)), name);
	}
	assert.ok(!isTemporaryName(basename(target)));
});

test('directories are made once each, private, and a failed one is tried again', async () => {
	const root = await mkdtemp(join(tmpdir(), 'dirs-'));
	try {
		const directories = new Directories();
		for (const path of ['a/b', 'a/b', 'a/c', 'a/b']) directories.ensure(join(root, path));
		assert.deepEqual((await readdir(join(root, 'a'))).sort(), ['b', 'c']);
		assert.equal((await stat(join(root, 'a/b'))).mode & 0o777, 0o700);
		// A path under a file cannot be made; once the file is gone the same path is tried again.
		await writeFile(join(root, 'blocker'), '');
		assert.throws(() => directories.ensure(join(root, 'blocker/x')), { code: 'ENOTDIR' });
		await rm(join(root, 'blocker'));
		directories.ensure(join(root, 'blocker/x'));
		assert.ok((await stat(join(root, 'blocker/x'))).isDirectory());
	} finally {
		await rm(root, { recursive: true, force: true });
	}
});
