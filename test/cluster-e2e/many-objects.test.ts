/**
 * A bucket of more than 1,000 objects through the Deis v1 router, both ways.
 *
 * An old radosgw answers every listing in v1 form, 1,000 keys a page, with no
 * continuation token: a client that pages on tokens stops after the first page
 * and calls the bucket whole. Here the backup, its verify, the no-change
 * re-run, and a restore that must find the objects unchanged all have to
 * see every page.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, ListObjectsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { readManifest } from '../../source/archive/manifest.js';
import { runPool } from '../../source/util/pool.js';
import { loadCluster, makeSource, s3For, type ClusterEnv } from '../cluster/env.js';
import { connectionFlags, runCli } from '../support/cli.js';

const BUCKET = 'bulk-listing';
const COUNT = 2_345;
const REMOVED = ['k/0007', 'k/1500 with space', 'k/2344+plus'];

let cluster: ClusterEnv;
let direct: S3Client;
let root: string;
let folder: string;

/** Keys past page boundaries, some needing escapes, each with its own small body. */
function keyOf(index: number): string {
	const base = `k/${String(index).padStart(4, '0')}`;
	if (index === 1500) return `${base} with space`;
	if (index === 2344) return `${base}+plus`;
	if (index === 999) return `${base}/ünï%`;
	return base;
}
const bodyOf = (key: string) => Buffer.from(`object ${key}\n`.repeat(1 + (key.length % 7)));
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function flags(): string[] {
	return connectionFlags(cluster);
}

/** Every key in the bucket, read straight from radosgw (behind the router) with marker paging. */
async function listAll(): Promise<string[]> {
	const keys: string[] = [];
	let marker: string | undefined;
	for (;;) {
		const page = await direct.send(new ListObjectsCommand({ Bucket: BUCKET, Marker: marker }));
		keys.push(...(page.Contents ?? []).map((o) => o.Key as string));
		if (!page.IsTruncated) return keys;
		marker = page.NextMarker ?? keys.at(-1);
	}
}

before(async () => {
	cluster = loadCluster();
	await makeSource();
	direct = s3For(cluster.keys, cluster.gatewayDirect);
	await direct.send(new CreateBucketCommand({ Bucket: BUCKET }));
	const indexes = Array.from({ length: COUNT }, (_, i) => i);
	await runPool(indexes, 16, async (i) => {
		const key = keyOf(i);
		await direct.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bodyOf(key) }));
	});
	root = await mkdtemp(join(tmpdir(), 'many-objects-'));
	folder = join(root, 'backup');
});

after(async () => {
	// The source cluster's seed check looks at its own buckets only: leave no extra one behind.
	const keys = await listAll().catch(() => []);
	await runPool(keys, 16, async (key) => {
		await direct.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
	});
	await direct.send(new DeleteBucketCommand({ Bucket: BUCKET })).catch(() => undefined);
	direct?.destroy();
	if (root) await rm(root, { recursive: true, force: true });
});

test(`a backup of ${COUNT} objects through the router saves every one, byte for byte`, async () => {
	assert.equal((await listAll()).length, COUNT, 'the seed');
	const result = await runCli(['backup', ...flags(), '--buckets', BUCKET, '--skip-volume', '--skip-database', '--out', folder]);
	assert.equal(result.code, 0, result.stderr);
	const manifest = await readManifest(folder);
	const objects = manifest.buckets.find((b) => b.name === BUCKET)?.objects ?? [];
	assert.equal(objects.length, COUNT);
	const byKey = new Map(objects.map((o) => [o.key, o]));
	for (const i of [0, 999, 1000, 1001, 1500, 1999, 2000, 2344]) {
		const key = keyOf(i);
		const entry = byKey.get(key);
		assert.ok(entry, `${key} saved`);
		assert.equal(entry.sha256, sha256(bodyOf(key)), key);
		assert.equal(sha256(await readFile(join(folder, 'buckets', BUCKET, entry.path))), entry.sha256, `${key} on disk`);
	}
	const verify = await runCli(['verify', folder]);
	assert.equal(verify.code, 0, verify.stderr);
});

test('the same backup again downloads nothing: every page of the listing matched the manifest', async () => {
	const result = await runCli(['backup', ...flags(), '--buckets', BUCKET, '--skip-volume', '--skip-database', '--out', folder]);
	assert.equal(result.code, 0, result.stderr);
	assert.match(result.stderr, new RegExp(`: 0 downloaded, ${COUNT} unchanged`));
});

test('a restore finds the objects on every page unchanged and uploads only the missing ones', async () => {
	for (const key of REMOVED) await direct.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
	assert.equal((await listAll()).length, COUNT - REMOVED.length);
	const result = await runCli(['restore', folder, ...flags(), '--yes', '--skip-platform', '--skip-volume', '--skip-controller']);
	assert.equal(result.code, 0, result.stderr);
	assert.match(result.stderr, new RegExp(`${REMOVED.length} uploaded, ${COUNT - REMOVED.length} unchanged`));
	const keys = await listAll();
	assert.equal(keys.length, COUNT);
	assert.deepEqual(new Set(keys), new Set(Array.from({ length: COUNT }, (_, i) => keyOf(i))));
});
