/**
 * The demo's store gateway, through @aws-sdk/client-s3 set up as the tool sets
 * it up, and the router in front of it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, GetObjectCommand, ListBucketsCommand, ListObjectsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { NodeSSH } from 'node-ssh';
import { commands } from '../../source/cluster/commands.js';
import { startDemoCluster } from '../../source/demo/cluster.js';
import type { DemoCluster } from '../../source/demo/cluster.js';
import { randomBytesFor } from '../../source/demo/random.js';
import { sourceObjects, writeObjects } from '../../source/demo/seed.js';
import { connect, run, s3For } from './support.js';
import { installed } from '../support/installed.js';

/** v1 listing paged by marker: a Deis v1 gateway has no ListObjectsV2 (NextMarker only comes with a delimiter). */
async function listAll(s3: S3Client, bucket: string): Promise<Array<{ key: string; size: number }>> {
	const out: Array<{ key: string; size: number }> = [];
	let marker: string | undefined;
	let pages = 0;
	for (;;) {
		const page = await s3.send(new ListObjectsCommand({ Bucket: bucket, Marker: marker }));
		for (const o of page.Contents ?? []) out.push({ key: o.Key!, size: o.Size! });
		pages++;
		if (!page.IsTruncated) break;
		marker = page.NextMarker ?? out.at(-1)?.key;
	}
	return Object.assign(out, { pages });
}

async function body(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
	const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
	return Buffer.from(await r.Body!.transformToByteArray());
}

describe('demo store gateway', () => {
	let root: string;
	let source: DemoCluster;
	let fresh: DemoCluster;
	let s3src: S3Client;
	let s3dst: S3Client;
	let dst: NodeSSH;

	before(async () => {
		root = mkdtempSync(join(tmpdir(), 'deis-demo-gw-'));
		[source, fresh] = await Promise.all([startDemoCluster({ root, mode: 'source' }), startDemoCluster({ root, mode: 'fresh' })]);
		s3src = s3For(source.connection, source.gatewayKeys);
		s3dst = s3For(fresh.connection, fresh.gatewayKeys);
		dst = await connect(fresh.connection);
	});

	after(async () => {
		s3src?.destroy();
		s3dst?.destroy();
		dst?.dispose();
		await Promise.all([source?.stop(), fresh?.stop()]);
		rmSync(root, { recursive: true, force: true });
	});

	it('holds the seeded buckets with every object, byte for byte', async () => {
		const buckets = await s3src.send(new ListBucketsCommand({}));
		assert.deepEqual(buckets.Buckets?.map((b) => b.Name).sort(), ['db_wal', 'registry']);
		const seeded = sourceObjects(source.model.apps.map((a) => a.id));
		for (const bucket of ['db_wal', 'registry']) {
			const want = seeded.filter((o) => o.bucket === bucket).map((o) => ({ key: o.key, size: o.body.length }));
			const got = await listAll(s3src, bucket);
			assert.deepEqual(got.slice().sort((a, b) => (a.key < b.key ? -1 : 1)), want.sort((a, b) => (a.key < b.key ? -1 : 1)));
		}
		const keys = seeded.map((o) => o.key);
		assert.ok(keys.some((k) => /^basebackups_005\/base_\w+\/tar_partitions\/part_00000000\.tar\.lzo$/.test(k)));
		assert.ok(keys.some((k) => /^basebackups_005\/base_\w+_backup_stop_sentinel\.json$/.test(k)));
		assert.ok(keys.filter((k) => /^wal_005\/0{7}10{14}[0-9A-F]{2}\.lzo$/.test(k)).length >= 10);
		assert.ok(keys.some((k) => /^images\/[0-9a-f]{64}\/(layer|json|ancestry|_checksum)$/.test(k)));
		assert.ok(keys.includes('repositories/library/blog/tag_latest') && keys.includes('repositories/library/blog/_index_images'));

		const big = seeded.reduce((a, b) => (a.body.length > b.body.length ? a : b));
		assert.ok(big.body.length > 2_000_000);
		assert.ok((await body(s3src, big.bucket, big.key)).equals(big.body));
		const total = seeded.reduce((n, o) => n + o.body.length, 0);
		assert.ok(total > 5_000_000 && total < 15_000_000, `seed of ${total} bytes`);
	});

	it('seeds the same content every time', () => {
		const a = sourceObjects(['x']);
		const b = sourceObjects(['x']);
		assert.deepEqual(
			a.map((o) => [o.key, o.body.length]),
			b.map((o) => [o.key, o.body.length]),
		);
		assert.ok(a.every((o, i) => o.body.equals(b[i]!.body)));
	});

	it('lists more than 1,000 keys, paged by marker', async () => {
		const n = 1_050;
		const objects = Array.from({ length: n }, (_, i) => ({ bucket: 'many', key: `k/${String(i).padStart(5, '0')}`, body: randomBytesFor(`many${i}`, 16) }));
		await writeObjects(source.gatewayDir, objects);
		const got = await listAll(s3src, 'many');
		assert.equal(got.length, n);
		assert.ok((got as unknown as { pages: number }).pages >= 2);
		assert.deepEqual(new Set(got.map((o) => o.key)).size, n);
		assert.ok((await body(s3src, 'many', 'k/01049')).equals(objects[1049]!.body));
	});

	it('round-trips awkward keys and binary bodies', async () => {
		const keys = ['with space/a b.txt', 'ünïcödé/ключ', 'plus+sign', 'percent%20literal', 'deep/a/b/c/d'];
		for (const [i, key] of keys.entries()) {
			const data = randomBytesFor(key, 1000 + i * 777);
			await s3src.send(new PutObjectCommand({ Bucket: 'registry', Key: key, Body: data }));
			assert.ok((await body(s3src, 'registry', key)).equals(data), key);
		}
		const listed = (await listAll(s3src, 'registry')).map((o) => o.key);
		for (const key of keys) assert.ok(listed.includes(key), key);
	});

	it("admits only the cluster's own key", async () => {
		const wrong = s3For(source.connection, fresh.gatewayKeys);
		try {
			await assert.rejects(wrong.send(new ListBucketsCommand({})), { name: 'InvalidAccessKeyId' });
		} finally {
			wrong.destroy();
		}
	});

	it('refuses S3 until the router and gateway run, then bodies over bodySize', async () => {
		await assert.rejects(s3dst.send(new ListBucketsCommand({})), 'no router yet');
		assert.equal((await run(dst, installed(commands.install('platform')))).code, 0);
		assert.equal((await run(dst, installed(commands.start('router@1')))).code, 0);
		await assert.rejects(s3dst.send(new ListBucketsCommand({})), (e: { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode === 502);
		assert.equal((await run(dst, installed(commands.start('store-gateway@1')))).code, 0);
		assert.deepEqual((await s3dst.send(new ListBucketsCommand({}))).Buckets ?? [], []);

		await s3dst.send(new CreateBucketCommand({ Bucket: 'db_wal' }));
		const big = randomBytesFor('big', 2 * 1024 * 1024);
		await assert.rejects(
			s3dst.send(new PutObjectCommand({ Bucket: 'db_wal', Key: 'big', Body: big })),
			(e: { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode === 413,
		);
		const small = randomBytesFor('small', 1024 * 1024 - 1);
		await s3dst.send(new PutObjectCommand({ Bucket: 'db_wal', Key: 'small', Body: small }));

		assert.equal((await run(dst, installed(commands.configSet('router', 'bodySize', '100m')))).code, 0);
		await s3dst.send(new PutObjectCommand({ Bucket: 'db_wal', Key: 'big', Body: big }));
		assert.ok((await body(s3dst, 'db_wal', 'big')).equals(big));
		assert.deepEqual((await listAll(s3dst, 'db_wal')).map((o) => o.key), ['big', 'small']);
	});
});
