import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FALLBACK_DIR, fallbackPath, planKeyPaths } from '../../source/archive/key-paths.js';
import { isSafeRelative } from '../../source/archive/manifest.js';

test('ordinary keys keep their readable path', () => {
	const paths = planKeyPaths(['wal_005/000000010000000000000003.lzo', 'images/ab/layer', 'with space/ünï+code']);
	assert.equal(paths.get('wal_005/000000010000000000000003.lzo'), 'wal_005/000000010000000000000003.lzo');
	assert.equal(paths.get('with space/ünï+code'), 'with space/ünï+code');
});

test('keys a filesystem cannot hold go to the fallback folder, and every path is safe', () => {
	const hostile = ['../escape', '/absolute', 'a//b', 'dir/..', 'x/./y', 'ctl\u0001char', 'percent%2F', `${'n'.repeat(300)}`, 'trailing/', `${FALLBACK_DIR}/spoof`, 'a/.b.part-deadbeef', '\\win'];
	const paths = planKeyPaths(hostile);
	for (const key of hostile) {
		const path = paths.get(key) as string;
		assert.equal(path, fallbackPath(key), key);
		assert.ok(isSafeRelative(path), path);
	}
	assert.equal(new Set(paths.values()).size, hostile.length, 'distinct keys get distinct paths');
});

test('a key that is also a prefix of another key is moved aside', () => {
	const paths = planKeyPaths(['a', 'a/b', 'c/d', 'c']);
	assert.equal(paths.get('a/b'), 'a/b');
	assert.equal(paths.get('a'), fallbackPath('a'));
	assert.equal(paths.get('c'), fallbackPath('c'));
	assert.equal(paths.get('c/d'), 'c/d');
});

test("a manifest's path is safe only when relative, with no empty, '.', '..', backslash or control-character segment", () => {
	const safe = ['a', 'buckets/db_wal/wal_005/x.lzo', '...', '.hidden/..x/x..', 'ünï code/+', 'a.b/c'];
	const unsafe = ['', '/a', 'a/', 'a//b', '.', '..', './a', 'a/.', 'a/./b', '../a', 'a/..', 'a/../b', 'a\\b', 'a\u0000b', 'a/\u001fb', 'a\nb'];
	for (const path of safe) assert.equal(isSafeRelative(path), true, JSON.stringify(path));
	for (const path of unsafe) assert.equal(isSafeRelative(path), false, JSON.stringify(path));
});
