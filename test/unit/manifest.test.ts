import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MANIFEST_FORMAT, readManifest, validateManifest, writeManifest, type Manifest } from '../../source/archive/manifest.js';
import { UserError } from '../../source/errors.js';

const sha = 'a'.repeat(64);
function sample(): Manifest {
	return {
		format: MANIFEST_FORMAT,
		tool: { name: 'deis-backup', version: '0.0.0' },
		cluster: { domain: 'deis.test', host: '127.0.0.1', port: 2222, user: 'core', storeEndpoint: 'http://deis-store.deis.test' },
		startedAt: '2026-01-01T00:00:00.000Z',
		completedAt: '2026-01-01T00:01:00.000Z',
		buckets: [{ role: 'database', name: 'db_wal', folder: 'buckets/db_wal', objects: [{ key: 'wal_005/1', path: 'wal_005/1', size: 3, sha256: sha }] }],
		steps: [{ stage: 'buckets', outcome: 'done' }],
	};
}

test('a manifest round-trips through an atomic write, leaving no temporary file', async () => {
	const folder = await mkdtemp(join(tmpdir(), 'manifest-'));
	await writeManifest(folder, sample());
	assert.deepEqual(await readManifest(folder), sample());
	assert.deepEqual(await readdir(folder), ['manifest.json']);
});

test('tampered manifests are refused before they can steer a write', () => {
	const cases: Array<(m: Manifest) => void> = [
		(m) => ((m.buckets[0] as { folder: string }).folder = '../../etc'),
		(m) => (m.buckets[0]!.objects[0]!.path = '/etc/passwd'),
		(m) => (m.buckets[0]!.objects[0]!.path = 'a/../../b'),
		(m) => (m.buckets[0]!.objects[0]!.sha256 = 'nothex'),
		(m) => (m.buckets[0]!.objects[0]!.size = -1),
		(m) => ((m as { format: string }).format = 'other/9'),
		(m) => (m.volume = { file: '../x.tar.gz', size: 1, sha256: sha, warnings: [] }),
	];
	for (const tamper of cases) {
		const manifest = sample();
		tamper(manifest);
		assert.throws(() => validateManifest(JSON.parse(JSON.stringify(manifest)), '/backup'), UserError);
	}
	assert.doesNotThrow(() => validateManifest(sample(), '/backup'));
});

test('a folder without a manifest, or with broken JSON, is a clear error', async () => {
	const folder = await mkdtemp(join(tmpdir(), 'manifest-'));
	await assert.rejects(readManifest(folder), /not a finished deis-backup folder/);
	await writeFile(join(folder, 'manifest.json'), '{"format":');
	await assert.rejects(readManifest(folder), /not valid JSON/);
	assert.match(await readFile(join(folder, 'manifest.json'), 'utf8'), /format/);
});
