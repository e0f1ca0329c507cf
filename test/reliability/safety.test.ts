/**
 * Safety rails at the command line: another cluster's backup folder is never
 * mixed into; a restore never overwrites differing objects without --force
 * (and never deletes anything); the router's body size goes back with
 * --reset-body-size, also when the restore was interrupted after raising it.
 */
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { readManifest } from '../../source/archive/manifest.js';
import { startDemoCluster, type DemoCluster } from '../../source/demo/cluster.js';
import { connectionFlags } from '../support/cli.js';
import { runToEnd, spawnCli } from './harness/cli.js';
import { listKeys, objectSha256, s3For, sourceWithBackup } from './harness/demo.js';
import { asTyped } from '../support/installed.js';

let root: string;
let source: DemoCluster;
let folder: string;

before(async () => {
	({ root, source, backup: folder } = await sourceWithBackup('rel-safety-', 'backup'));
});

after(async () => {
	await source?.stop();
	await rm(root, { recursive: true, force: true });
});

test("a backup into a folder holding another cluster's backup is refused, and the folder is left as it was", async () => {
	const manifestPath = join(folder, 'manifest.json');
	const original = await readFile(manifestPath, 'utf8');
	const other = JSON.parse(original) as { cluster: { domain: string } };
	other.cluster.domain = 'other-cluster.example.com';
	const otherText = JSON.stringify(other, null, '\t');
	await writeFile(manifestPath, otherText);
	const commandsBefore = source.log.length;
	try {
		const result = await runToEnd(['backup', ...connectionFlags(source.connection), '--out', folder]);
		assert.equal(result.code, 1, result.stderr);
		assert.match(result.stderr.trim().split('\n').at(-1) ?? '', /holds a backup of another cluster \(other-cluster\.example\.com\); choose a new folder with --out/);
		assert.equal(await readFile(manifestPath, 'utf8'), otherText, 'the other backup is untouched');
		assert.equal(source.log.length, commandsBefore, 'refused before connecting: no command reached the cluster');
	} finally {
		await writeFile(manifestPath, original);
	}
});

test('restore refuses to overwrite a differing object without --force (exit 1, nothing changed), then replaces it with --force; extra objects are never deleted', async () => {
	const manifest = await readManifest(folder);
	const bucket = manifest.buckets[0]!;
	const victim = bucket.objects[1]!;
	const target = await startDemoCluster({ root, mode: 'fresh', name: 'target' });
	const s3 = s3For(target, target.connection.storeEndpoint as string);
	try {
		const flags = ['restore', folder, '--yes', '--skip-volume', '--skip-controller', ...connectionFlags(target.connection)];
		const first = await runToEnd(flags);
		assert.equal(first.code, 0, first.stderr);
		await s3.send(new PutObjectCommand({ Bucket: bucket.name, Key: victim.key, Body: 'changed on the new cluster' }));
		await s3.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'not-in-the-backup', Body: 'keep me' }));
		// A restore to another journal key (a fresh journal) looks at the cluster again.
		await rm(join(folder, '.deis-backup'), { recursive: true, force: true });
		const refused = await runToEnd(flags);
		assert.equal(refused.code, 1, refused.stderr);
		assert.match(refused.stderr.trim().split('\n').at(-1) ?? '', /already holds 1 object\(s\) that differ from the backup .*nothing was overwritten: re-run with --force/);
		assert.notEqual(await objectSha256(s3, bucket.name, victim.key), victim.sha256, 'left as it was');

		await rm(join(folder, '.deis-backup'), { recursive: true, force: true });
		const forced = await runToEnd([...flags, '--force']);
		assert.equal(forced.code, 0, forced.stderr);
		assert.match(forced.stderr, /1 differing object\(s\) overwritten \(--force\)/);
		assert.match(forced.stderr, /1 object\(s\) that are not in the backup; they were left alone/);
		assert.equal(await objectSha256(s3, bucket.name, victim.key), victim.sha256, 'replaced with --force');
		assert.ok((await listKeys(s3, bucket.name)).has('not-in-the-backup'), 'never deleted');
	} finally {
		s3.destroy();
		await target.stop();
		await rm(join(folder, '.deis-backup'), { recursive: true, force: true });
	}
});

test("--reset-body-size puts the router's bodySize back, also after a restore killed once it was raised", async () => {
	for (const [name, before] of [
		['unset (Deis default 1m)', undefined],
		['set to 2m', '2m'],
	] as const) {
		const target = await startDemoCluster({ root, mode: 'fresh', name: `body-${before ?? 'unset'}` });
		try {
			if (before) target.etcd.set('/deis/router/bodySize', before);
			const flags = ['restore', folder, '--yes', '--reset-body-size', ...connectionFlags(target.connection)];
			// Killed right after the raise: the value it replaced must survive in the journal.
			const run = spawnCli(flags, { pauseAt: 'bodySize raised' });
			const reached = await run.paused;
			assert.ok(reached, `${name}: the run reached the raise`);
			assert.equal(target.etcd.get('/deis/router/bodySize'), '100m', `${name}: raised`);
			await run.kill('SIGKILL');
			const done = await runToEnd(flags);
			assert.equal(done.code, 0, done.stderr);
			assert.match(done.stderr, /Router bodySize back to/);
			assert.equal(target.etcd.get('/deis/router/bodySize'), before ?? '1m', `${name}: bodySize put back`);
			const log = target.log.map((e) => asTyped(e.command));
			assert.ok(log.includes(`deisctl config router set bodySize=${before ?? '1m'}`), log.join(' | '));
		} finally {
			await target.stop();
			await rm(join(folder, '.deis-backup'), { recursive: true, force: true });
		}
	}
});

test('without --reset-body-size the raised bodySize is left (and the summary says how to put it back)', async () => {
	const target = await startDemoCluster({ root, mode: 'fresh', name: 'body-left' });
	try {
		const done = await runToEnd(['restore', folder, '--yes', '--skip-controller', ...connectionFlags(target.connection)]);
		assert.equal(done.code, 0, done.stderr);
		assert.equal(target.etcd.get('/deis/router/bodySize'), '100m');
		assert.match(done.stderr, /--reset-body-size puts it back/);
	} finally {
		await target.stop();
		await rm(join(folder, '.deis-backup'), { recursive: true, force: true });
	}
});
