// The router's client_max_body_size follows /deis/router/bodySize: 1m by default, raised with deisctl.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { commands } from '../../source/cluster/commands.js';
import { etcdGet, loadCluster, makeSource, routerBodySize, runOnHost, s3For } from '../cluster/env.js';
import { installed } from '../support/installed.js';

const env = loadCluster();
const KEY = 'smoke/two-megabytes.bin';
const body = Buffer.alloc(2 * 1024 * 1024, 7);

after(makeSource);

function statusOf(error: unknown): number | undefined {
	return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

test('with bodySize unset a 2 MB PUT through the router gets HTTP 413', async () => {
	assert.equal(await etcdGet('/deis/router/bodySize'), undefined);
	assert.equal(await routerBodySize(), '1m');
	const s3 = s3For(env.keys);
	await assert.rejects(s3.send(new PutObjectCommand({ Bucket: 'registry', Key: KEY, Body: body })), (error: unknown) => {
		assert.equal(statusOf(error), 413);
		return true;
	});
});

test('after `deisctl config router set bodySize=100m` over ssh the same PUT succeeds', async () => {
	const res = await runOnHost(env, installed(commands.configSet('router', 'bodySize', '100m')));
	assert.equal(res.code, 0, res.stderr);
	assert.equal(await etcdGet('/deis/router/bodySize'), '100m');
	assert.equal(await routerBodySize(), '100m');
	const s3 = s3For(env.keys);
	await s3.send(new PutObjectCommand({ Bucket: 'registry', Key: KEY, Body: body }));
	const head = await s3.send(new HeadObjectCommand({ Bucket: 'registry', Key: KEY }));
	assert.equal(head.ContentLength, body.length);
	await s3.send(new DeleteObjectCommand({ Bucket: 'registry', Key: KEY }));
});

test('an invalid bodySize is refused and leaves etcd unchanged', async () => {
	const res = await runOnHost(env, installed(commands.configSet('router', 'bodySize', '100m; evil')));
	assert.notEqual(res.code, 0);
	assert.match(res.stderr, /invalid bodySize/);
	assert.equal(await etcdGet('/deis/router/bodySize'), '100m');
});
