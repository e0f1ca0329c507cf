/**
 * Objects larger than the part size go up in parts streamed from ranges of
 * the backup file, against the real Ceph gateway behind the router: the
 * object arrives exact, and a damaged file never becomes an object (its
 * upload is aborted, no parts left behind on the gateway).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { readManifest, type ObjectEntry } from '../../source/archive/manifest.js';
import { loadCluster, makeFresh, makeSource, s3For, type ClusterEnv } from '../cluster/env.js';
import { connectionFlags, runCli } from '../support/cli.js';

let cluster: ClusterEnv;
let root: string;
let folder: string;
let large: { bucket: string; folder: string; object: ObjectEntry };

// A 12m router limit allows parts up to 90 % of it (10.8 MiB); the seed's 24.3 MiB object
// then goes in three even parts of 9 MiB (whole MiB, none a sliver).
const BODY_SIZE = '12m';
const PART = 9 * 1024 * 1024;
const restoreFlags = () => ['--yes', '--body-size', BODY_SIZE, '--skip-volume', '--skip-controller', ...connectionFlags(cluster)];

before(async () => {
	cluster = loadCluster();
	await makeSource();
	root = await mkdtemp(join(tmpdir(), 'multipart-'));
	folder = join(root, 'backup');
	const backup = await runCli(['backup', ...connectionFlags(cluster), '--skip-volume', '--skip-database', '--out', folder]);
	assert.equal(backup.code, 0, backup.stderr);
	const manifest = await readManifest(folder);
	const all = manifest.buckets.flatMap((b) => b.objects.map((object) => ({ bucket: b.name, folder: b.folder, object })));
	large = all.reduce((a, b) => (b.object.size > a.object.size ? b : a));
	assert.ok(large.object.size > 2 * PART, `the seed's largest object (${large.object.size} bytes) needs several parts`);
	// Copied before any restore journals into the folder.
	await cp(folder, join(root, 'damaged'), { recursive: true });
	await cp(folder, join(root, 'longer'), { recursive: true });
});

after(async () => {
	await makeSource();
	await rm(root, { recursive: true, force: true });
});

/** 'present', or the HTTP status the gateway gave for the large object's HEAD. */
function headStatus(s3: ReturnType<typeof s3For>): Promise<'present' | number | undefined> {
	return s3.send(new HeadObjectCommand({ Bucket: large.bucket, Key: large.object.key })).then(
		() => 'present' as const,
		(error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode,
	);
}

test('an object larger than the part size arrives exact, in parts under the router limit', async () => {
	const fresh = await makeFresh();
	const result = await runCli(['restore', folder, ...restoreFlags()]);
	assert.equal(result.code, 0, result.stderr);
	const s3 = s3For(fresh.keys);
	try {
		const response = await s3.send(new GetObjectCommand({ Bucket: large.bucket, Key: large.object.key }));
		const bytes = Buffer.from(await response.Body!.transformToByteArray());
		assert.equal(createHash('sha256').update(bytes).digest('hex'), large.object.sha256);
		// A multipart ETag ends in -<parts>: the object really went up in parts of the chosen size.
		assert.equal(response.ETag?.replaceAll('"', '').split('-')[1], String(Math.ceil(large.object.size / PART)));
	} finally {
		s3.destroy();
	}
});

test('a damaged large file: the restore stops, its upload is aborted, no object and no parts are left', async () => {
	const damaged = join(root, 'damaged');
	// Same size, one byte flipped in the last part: only the whole-file hash can tell.
	const handle = await open(join(damaged, large.folder, large.object.path), 'r+');
	try {
		const offset = large.object.size - 10;
		const byte = Buffer.alloc(1);
		await handle.read(byte, 0, 1, offset);
		byte[0] = (byte[0] ?? 0) ^ 0xff;
		await handle.write(byte, 0, 1, offset);
	} finally {
		await handle.close();
	}
	const fresh = await makeFresh();
	// --skip-preflight: the upload's own whole-file check is what is tested here; the preflight would stop first.
	const result = await runCli(['restore', damaged, ...restoreFlags(), '--skip-preflight']);
	assert.equal(result.code, 3, result.stderr); // a mismatch, as verify reports one
	assert.match(result.stderr, /does not match the checksum in manifest\.json .*upload was abandoned/);
	const s3 = s3For(fresh.keys);
	try {
		assert.equal(await headStatus(s3), 404, 'no object made from the damaged file');
		const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: large.bucket }));
		assert.deepEqual(uploads.Uploads ?? [], [], 'no unfinished upload left holding parts');
	} finally {
		s3.destroy();
	}
});

test('a large file longer than the manifest says: the restore stops, and no object is made from its first bytes', async () => {
	const longer = join(root, 'longer');
	// The manifest's bytes, then more: a body of the manifest's length would hash right.
	const handle = await open(join(longer, large.folder, large.object.path), 'a');
	try {
		await handle.write(Buffer.from('appended after the backup'));
	} finally {
		await handle.close();
	}
	const fresh = await makeFresh();
	// The default body size: the object goes up whole (one streamed PUT), not in parts.
	const result = await runCli(['restore', longer, '--yes', '--skip-volume', '--skip-controller', ...connectionFlags(cluster), '--skip-preflight']);
	assert.equal(result.code, 3, result.stderr);
	assert.match(result.stderr, /does not match the checksum in manifest\.json/);
	const s3 = s3For(fresh.keys);
	try {
		assert.equal(await headStatus(s3), 404, 'no object made from the longer file');
	} finally {
		s3.destroy();
	}
});
