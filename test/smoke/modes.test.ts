// Switching the cluster to a fresh one to restore into, and back to the seeded source.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { GetObjectCommand, ListBucketsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { commands } from '../../source/cluster/commands.js';
import {
	appenderRunning, currentMode, etcdGet, etcdList, loadCluster, makeFresh, makeSource, MODEL_DIRS, readUnits, routerBodySize, runOnHost, s3For,
} from '../cluster/env.js';
import { installed } from '../support/installed.js';

const env = loadCluster();

after(async () => {
	if (currentMode() !== 'source') await makeSource();
});

async function modelKeyCount(): Promise<number> {
	return (await Promise.all(MODEL_DIRS.map(etcdList))).flat().length;
}

test('makeFresh: new keys, no buckets, old keys gone, empty store, clean etcd, no units', async () => {
	const { keys } = await makeFresh();
	assert.equal(currentMode(), 'fresh');
	assert.notEqual(keys.accessKey, env.keys.accessKey);
	assert.equal(await etcdGet('/deis/store/gateway/accessKey'), keys.accessKey);
	assert.equal(await etcdGet('/deis/store/gateway/secretKey'), keys.secretKey);
	const got = await runOnHost(env, installed(commands.configGet('store', 'gateway/accessKey')));
	assert.equal(got.stdout.toString(), `${keys.accessKey}\n`);

	const fresh = s3For(keys);
	assert.deepEqual((await fresh.send(new ListBucketsCommand({}))).Buckets ?? [], []);
	await assert.rejects(s3For(env.keys).send(new ListBucketsCommand({})), /InvalidAccessKeyId/);

	assert.deepEqual(readdirSync(env.storeDir), []);
	assert.equal(appenderRunning(), false);
	assert.equal(await modelKeyCount(), 0);
	assert.equal(await etcdGet('/deis/router/bodySize'), undefined);
	assert.equal(await routerBodySize(), '1m');
	assert.ok(readUnits().every((u) => u.load === '-'));
});

test('makeSource: original keys and the seeded objects, byte for byte; store, etcd and units back', async () => {
	await makeSource();
	assert.equal(currentMode(), 'source');
	assert.equal(await etcdGet('/deis/store/gateway/accessKey'), env.keys.accessKey);
	const s3 = s3For(env.keys);
	for (const bucket of ['db_wal', 'registry']) {
		const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
		const keys = (listed.Contents ?? []).map((o) => o.Key).sort();
		assert.deepEqual(keys, env.objects.filter((o) => o.bucket === bucket).map((o) => o.key).sort(), bucket);
	}
	for (const o of env.objects.filter((x) => x.size < 100 * 1024).slice(0, 10)) {
		const res = await s3.send(new GetObjectCommand({ Bucket: o.bucket, Key: o.key }));
		const body = Buffer.from(await res.Body!.transformToByteArray());
		assert.equal(createHash('sha256').update(body).digest('hex'), o.sha256, o.key);
	}
	assert.ok(readdirSync(env.storeDir).includes('logs'));
	assert.ok(appenderRunning());
	assert.equal(await modelKeyCount(), 27);
	assert.equal(await etcdGet('/deis/database/bucketName'), 'db_wal');
	assert.ok(readUnits().every((u) => u.active === 'active'));
});

test('makeSource on an intact source cluster keeps the objects (no re-seed)', async () => {
	const s3 = s3For(env.keys);
	const stamps = async () => {
		const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'db_wal' }));
		return (listed.Contents ?? []).map((o) => `${o.Key} ${o.LastModified?.toISOString()}`).sort();
	};
	const before = await stamps();
	assert.equal(before.length, env.objects.filter((o) => o.bucket === 'db_wal').length);
	await makeSource();
	assert.deepEqual(await stamps(), before);
});
