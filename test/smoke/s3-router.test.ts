// The store's S3 API through the router, by name (deis-store.deis.test:80), with the keys from etcd.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { etcdGet, loadCluster, s3For } from '../cluster/env.js';

const env = loadCluster();

async function keysFromEtcd() {
	const accessKey = await etcdGet('/deis/store/gateway/accessKey');
	const secretKey = await etcdGet('/deis/store/gateway/secretKey');
	assert.ok(accessKey && secretKey, 'gateway keys are published in etcd');
	return { accessKey, secretKey };
}

test('the store endpoint is the router, by its /etc/hosts name', () => {
	assert.equal(env.storeEndpoint, 'http://deis-store.deis.test');
});

// A Deis v1 gateway has only v1 listings: page by marker.
test('ListObjects through the router lists exactly the seeded registry objects', async () => {
	const s3 = s3For(await keysFromEtcd());
	const keys: string[] = [];
	let marker: string | undefined;
	for (;;) {
		const page = await s3.send(new ListObjectsCommand({ Bucket: 'registry', Marker: marker, MaxKeys: 20 }));
		const got = (page.Contents ?? []).map((o) => o.Key ?? '');
		keys.push(...got);
		if (!page.IsTruncated) break;
		marker = page.NextMarker ?? got.at(-1);
	}
	const expected = env.objects.filter((o) => o.bucket === 'registry').map((o) => o.key);
	assert.deepEqual(keys.sort(), expected.sort());
	assert.ok(keys.includes('repositories/library/my app/tag_latest'), 'a key with a space');
	assert.ok(keys.includes('repositories/library/café-ünïcode/tag_latest'), 'a unicode key');
	assert.ok(keys.includes('repositories/library/app+beta/tag_latest'), "a key with '+'");
});

test('GetObject through the router returns the seeded bytes (big and odd-named objects)', async () => {
	const s3 = s3For(await keysFromEtcd());
	const biggest = [...env.objects].sort((a, b) => b.size - a.size)[0];
	const unicode = env.objects.find((o) => o.key.includes('café'));
	for (const o of [biggest, unicode]) {
		assert.ok(o);
		const res = await s3.send(new GetObjectCommand({ Bucket: o.bucket, Key: o.key }));
		const body = Buffer.from(await res.Body!.transformToByteArray());
		assert.equal(body.length, o.size, `${o.key} size`);
		assert.equal(createHash('sha256').update(body).digest('hex'), o.sha256, `${o.key} content`);
	}
	assert.ok((biggest?.size ?? 0) > 16 * 1024 * 1024, 'the seed has an object over the multipart threshold');
});

test('PutObject through the router stores a small object, then it is deleted again', async () => {
	const s3 = s3For(await keysFromEtcd());
	const key = 'smoke/put via router.txt';
	await s3.send(new PutObjectCommand({ Bucket: 'registry', Key: key, Body: 'hello from the smoke test' }));
	try {
		const res = await s3.send(new GetObjectCommand({ Bucket: 'registry', Key: key }));
		assert.equal(await res.Body!.transformToString(), 'hello from the smoke test');
	} finally {
		await s3.send(new DeleteObjectCommand({ Bucket: 'registry', Key: key }));
	}
});

test('wrong keys are refused by the gateway', async () => {
	const s3 = s3For({ accessKey: 'AAAAAAAAAAAAAAAAAAAA', secretKey: 'x'.repeat(40) });
	await assert.rejects(s3.send(new ListObjectsCommand({ Bucket: 'registry' })), (error: Error) => {
		assert.match(error.name, /InvalidAccessKeyId|AccessDenied|SignatureDoesNotMatch/);
		return true;
	});
});
