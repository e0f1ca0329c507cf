/**
 * Backup and restore end to end on the in-process demo clusters: the real
 * step modules and plans, no system services needed.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { readManifest } from '../../source/archive/manifest.js';
import { verifyFolder } from '../../source/archive/verify.js';
import { startDemoCluster, type DemoCluster } from '../../source/demo/cluster.js';
import { CONTROLLER_KEY_DIRS } from '../../source/steps/controller.js';
import { backup, restore } from '../support/plans.js';
import { v2Signer } from '../cluster/lib/sigv2.js';
import { asTyped } from '../support/installed.js';

let root: string;
let source: DemoCluster;
let fresh: DemoCluster;
let folder: string;

/** Signed v2, as the demo's Deis v1 gateway demands. */
function s3For(cluster: DemoCluster): S3Client {
	return new S3Client({
		signer: v2Signer(cluster.gatewayKeys),
		endpoint: cluster.connection.storeEndpoint,
		region: 'us-east-1',
		forcePathStyle: true,
		credentials: { accessKeyId: cluster.gatewayKeys.accessKey, secretAccessKey: cluster.gatewayKeys.secretKey },
		requestChecksumCalculation: 'WHEN_REQUIRED',
		responseChecksumValidation: 'WHEN_REQUIRED',
	});
}

async function sha256Of(s3: S3Client, bucket: string, key: string): Promise<string> {
	const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
	return createHash('sha256').update(Buffer.from(await response.Body!.transformToByteArray())).digest('hex');
}

before(async () => {
	root = await mkdtemp(join(tmpdir(), 'flows-'));
	[source, fresh] = await Promise.all([startDemoCluster({ root, mode: 'source' }), startDemoCluster({ root, mode: 'fresh' })]);
	folder = join(root, 'backup');
});

after(async () => {
	await Promise.all([source?.stop(), fresh?.stop()]);
	await rm(root, { recursive: true, force: true });
});

test('a backup saves every object byte for byte, the volume archive and the dump, with a manifest', async () => {
	const summary = await backup(source.connection, folder);
	assert.equal(summary.ok, true, summary.error);
	const manifest = await readManifest(folder);
	const s3 = s3For(source);
	let objects = 0;
	for (const bucket of manifest.buckets) {
		assert.ok(bucket.objects.length > 0, `${bucket.name} has objects`);
		for (const object of bucket.objects) {
			objects++;
			const local = createHash('sha256').update(await readFile(join(folder, bucket.folder, object.path))).digest('hex');
			assert.equal(local, object.sha256, object.key);
			assert.equal(await sha256Of(s3, bucket.name, object.key), object.sha256, `cluster copy of ${object.key}`);
		}
	}
	assert.equal(summary.objects, objects);
	assert.equal(summary.transferred, objects);
	assert.ok(manifest.volume && manifest.volume.size > 0);
	assert.ok(manifest.database && manifest.database.size > 0);
	assert.match(await readFile(join(folder, 'dump_all.sql'), 'utf8'), /api_app/);
	assert.ok((manifest.etcdKeys ?? []).length > 0, 'controller keys recorded');
	assert.equal(((await stat(folder)).mode & 0o777).toString(8), '700');
	assert.equal(((await stat(join(folder, 'manifest.json'))).mode & 0o777).toString(8), '600');
	const check = await verifyFolder(folder, manifest, () => {});
	assert.deepEqual(check.problems, []);
	s3.destroy();
});

test('a second backup into the same folder transfers nothing new', async () => {
	const summary = await backup(source.connection, folder);
	assert.equal(summary.ok, true, summary.error);
	assert.equal(summary.transferred, 0);
	assert.ok(summary.objects > 0);
});

test('a restore into a fresh cluster brings back objects, store files and controller keys, in the documented order', async () => {
	const summary = await restore(fresh.connection, folder);
	assert.equal(summary.ok, true, summary.error);
	const manifest = await readManifest(folder);
	const s3 = s3For(fresh);
	for (const bucket of manifest.buckets) {
		for (const object of bucket.objects) assert.equal(await sha256Of(s3, bucket.name, object.key), object.sha256, object.key);
	}
	s3.destroy();
	assert.ok((manifest.etcdKeys ?? []).length > 0);
	for (const key of manifest.etcdKeys ?? []) {
		assert.ok(CONTROLLER_KEY_DIRS.some((dir) => key.startsWith(dir)), key);
		assert.ok(fresh.etcd.has(key), `fresh etcd has ${key}`);
	}
	const commands = fresh.log.map((entry) => asTyped(entry.command));
	const order = ['deisctl install platform', 'deisctl start store-monitor', 'deisctl start store-gateway@1', 'deisctl start router@1', 'deisctl config router set bodySize=100m', 'deisctl start platform'];
	let last = -1;
	for (const expected of order) {
		const index = commands.findIndex((command, i) => i > last && command.startsWith(expected));
		assert.ok(index > last, `${expected} after the previous step (log: ${commands.join(' | ')})`);
		last = index;
	}
});

test('running the same restore again resumes: nothing is redone', async () => {
	const before = fresh.log.length;
	const summary = await restore(fresh.connection, folder);
	assert.equal(summary.ok, true, summary.error);
	assert.equal(summary.transferred, 0);
	const again = fresh.log.slice(before).map((entry) => asTyped(entry.command));
	assert.ok(!again.some((command) => command.startsWith('deisctl install') || command.includes('tar -C')), again.join(' | '));
});

test('a restore never overwrites a differing object without --force', async () => {
	const manifest = await readManifest(folder);
	const bucket = manifest.buckets[0]!;
	const victim = bucket.objects[0]!;
	const other = await mkdtemp(join(tmpdir(), 'flows-other-'));
	const third = await startDemoCluster({ root: other, mode: 'fresh' });
	try {
		const first = await restore(third.connection, folder, { skipVolume: true });
		assert.equal(first.ok, true, first.error);
		const s3 = s3For(third);
		await s3.send(new PutObjectCommand({ Bucket: bucket.name, Key: victim.key, Body: 'tampered' }));
		// Forget that this restore ran, so the bucket stage looks at the cluster again.
		await rm(join(folder, '.deis-backup'), { recursive: true, force: true });
		const refused = await restore(third.connection, folder, { skipVolume: true });
		assert.equal(refused.ok, false);
		assert.match(refused.error ?? '', /differ from the backup.*--force/);
		assert.notEqual(await sha256Of(s3, bucket.name, victim.key), victim.sha256, 'left untouched');
		await rm(join(folder, '.deis-backup'), { recursive: true, force: true });
		const forced = await restore(third.connection, folder, { skipVolume: true, force: true });
		assert.equal(forced.ok, true, forced.error);
		assert.equal(await sha256Of(s3, bucket.name, victim.key), victim.sha256);
		s3.destroy();
	} finally {
		await third.stop();
		await rm(other, { recursive: true, force: true });
	}
});
