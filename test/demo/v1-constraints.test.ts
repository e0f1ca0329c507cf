/**
 * The built-in demo cluster refuses what a real Deis v1 cluster refuses, as the
 * simulated cluster does (test/cluster-sim): an old radosgw behind the router
 * (AWS v2 only, v1 listings only), Docker 1.12's exec, a controller exec without
 * ETCD, deisctl only in /opt/bin and nse only in login shells.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { GetObjectCommand, ListObjectsCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { NodeSSH } from 'node-ssh';
import { RESAVE_SCRIPT } from '../../source/cluster/commands.js';
import { startDemoCluster } from '../../source/demo/cluster.js';
import type { DemoCluster } from '../../source/demo/cluster.js';
import { v2Authorization } from '../cluster/lib/sigv2.js';
import { v4PresignedGet, v4SignedHeaders } from '../cluster/lib/sigv4.js';
import { connect, run, s3For } from './support.js';
import { CONTROLLER_KEY_DIRS } from '../../source/steps/controller.js';

// What the controller publishes from its models (not the platform's own keys under /deis/builder).
const MODEL_DIRS = CONTROLLER_KEY_DIRS;
const WARNING = 'WARNING Cannot synchronize with etcd cluster\n';

function published(c: DemoCluster): string[] {
	return MODEL_DIRS.flatMap((d) => (c.etcd.has(d) ? c.etcd.ls(d, true) : [])).sort();
}

function unpublish(c: DemoCluster): void {
	for (const d of MODEL_DIRS) if (c.etcd.has(d)) c.etcd.rm(d, { recursive: true });
	assert.deepEqual(published(c), []);
}

interface Answer {
	status: number;
	body: string;
}

function send(c: DemoCluster, pathAndQuery: string, headers: Record<string, string>): Promise<Answer> {
	const { hostname, port } = new URL(c.connection.storeEndpoint!);
	return new Promise((resolve, reject) => {
		const req = request({ host: hostname, port, method: 'GET', path: pathAndQuery, headers, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (d: Buffer) => chunks.push(d));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
		});
		req.on('error', reject);
		req.end();
	});
}

function sendV2(c: DemoCluster, path: string, query: Array<[string, string]>): Promise<Answer> {
	const headers: Record<string, string> = { Date: new Date().toUTCString() };
	headers['Authorization'] = v2Authorization(c.gatewayKeys, 'GET', path, Object.fromEntries(query), headers);
	const qs = query.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
	return send(c, qs ? `${path}?${qs}` : path, headers);
}

/** Types lines into an SSH login shell (the `shell` session) and returns what it printed. */
function loginShell(ssh: NodeSSH, lines: string[]): Promise<string> {
	return new Promise((resolve, reject) => {
		ssh.connection!.shell((err, channel) => {
			if (err) return reject(err);
			let out = '';
			channel.on('data', (d: Buffer) => (out += d.toString()));
			channel.stderr.on('data', (d: Buffer) => (out += d.toString()));
			channel.on('close', () => resolve(out));
			channel.end(`${[...lines, 'exit'].join('\n')}\n`);
		});
	});
}

describe('the demo cluster behaves like a Deis v1 cluster', () => {
	let root: string;
	let source: DemoCluster;
	let modern: DemoCluster;
	let ssh: NodeSSH;
	/** What the source cluster's controller has published at start. */
	let all: string[];
	const host = () => new URL(source.connection.storeEndpoint!).host;

	before(async () => {
		root = mkdtempSync(join(tmpdir(), 'deis-demo-v1-'));
		[source, modern] = await Promise.all([
			startDemoCluster({ root, mode: 'source' }),
			startDemoCluster({ root, mode: 'source', name: 'modern', gateway: 'modern' }),
		]);
		ssh = await connect(source.connection);
		all = published(source);
		assert.ok(all.length > 10, `the source cluster publishes its models (${all.length} keys)`);
	});

	after(async () => {
		ssh?.dispose();
		await Promise.all([source?.stop(), modern?.stop()]);
		rmSync(root, { recursive: true, force: true });
	});

	describe('its store gateway', () => {
		it('answers an AWS4-HMAC-SHA256 Authorization header with 400 InvalidArgument', async () => {
			const answer = await send(source, '/registry', await v4SignedHeaders(source.gatewayKeys, host(), '/registry'));
			assert.equal(answer.status, 400);
			assert.match(answer.body, /<Error><Code>InvalidArgument<\/Code><\/Error>/);
			await assert.rejects(s3For(source.connection, source.gatewayKeys, 'v4').send(new ListObjectsV2Command({ Bucket: 'registry' })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
				assert.equal(e.name, 'InvalidArgument');
				assert.equal(e.$metadata?.httpStatusCode, 400);
				return true;
			});
		});

		it('answers a v4 presigned URL with 403 AccessDenied', async () => {
			const answer = await send(source, await v4PresignedGet(source.gatewayKeys, host(), '/registry'), {});
			assert.equal(answer.status, 403);
			assert.match(answer.body, /<Error><Code>AccessDenied<\/Code><\/Error>/);
		});

		it('gives a v1 listing to `GET /registry?list-type=2&max-keys=2` signed v2', async () => {
			const answer = await sendV2(source, '/registry', [['list-type', '2'], ['max-keys', '2']]);
			assert.equal(answer.status, 200, answer.body);
			assert.match(answer.body, /<Marker>/);
			assert.match(answer.body, /<IsTruncated>true<\/IsTruncated>/);
			assert.doesNotMatch(answer.body, /ContinuationToken|<KeyCount>/);
			assert.equal(answer.body.match(/<Contents>/g)?.length, 2);
		});

		it('ignores continuation-token, start-after and fetch-owner instead of failing on them', async () => {
			const first = await sendV2(source, '/registry', [['max-keys', '3']]);
			const ignored = await sendV2(source, '/registry', [['continuation-token', 'bm9wZQ=='], ['max-keys', '3'], ['start-after', 'zzz'], ['list-type', '2'], ['fetch-owner', 'true']]);
			assert.equal(ignored.status, 200, ignored.body);
			const keys = (b: string) => [...b.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]);
			assert.equal(keys(ignored.body).length, 3);
			assert.deepEqual(keys(ignored.body), keys(first.body));
		});

		// `..` is left out: s3rver itself (not the router) resolves dot segments in a path.
		it('round-trips keys with space, +, % and unicode signed v2, and lists them as sent', async () => {
			const s3 = s3For(source.connection, source.gatewayKeys);
			const keys = ['v1/a b+c%25d é/x+y', 'v1/plus+sign', 'v1/ключ ü'];
			for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: 'registry', Key: key, Body: `body of ${key}` }));
			for (const key of keys) {
				const got = await s3.send(new GetObjectCommand({ Bucket: 'registry', Key: key }));
				assert.equal(await got.Body!.transformToString(), `body of ${key}`);
			}
			const listed = await s3.send(new ListObjectsCommand({ Bucket: 'registry', Prefix: 'v1/' }));
			assert.deepEqual(listed.Contents?.map((o) => o.Key), [...keys].sort());
		});

		it('as a modern gateway (gateway: "modern") takes v4 and pages ListObjectsV2 by token', async () => {
			const s3 = s3For(modern.connection, modern.gatewayKeys, 'v4');
			const page = await s3.send(new ListObjectsV2Command({ Bucket: 'registry', MaxKeys: 2 }));
			assert.equal(page.KeyCount, 2);
			assert.ok(page.NextContinuationToken);
			const next = await s3.send(new ListObjectsV2Command({ Bucket: 'registry', MaxKeys: 2, ContinuationToken: page.NextContinuationToken }));
			assert.notEqual(next.Contents?.[0]?.Key, page.Contents?.[0]?.Key);
			const presigned = await send(modern, await v4PresignedGet(modern.gatewayKeys, new URL(modern.connection.storeEndpoint!).host, `/registry/${encodeURIComponent(page.Contents![0]!.Key!).replaceAll('%2F', '/')}`), {});
			assert.equal(presigned.status, 200, presigned.body);
		});
	});

	describe('docker exec is Docker 1.12\'s', () => {
		for (const [flags, undefinedFlag] of [[['-e', 'ETCD=127.0.0.1:4001'], '-e'], [['--env=ETCD=127.0.0.1:4001'], '--env'], [['-ie', 'ETCD=x'], '-e'], [['-w', '/app'], '-w']] as const) {
			it(`refuses ${flags.join(' ')} with exit 125`, async () => {
				unpublish(source);
				const r = await run(ssh, ['docker', 'exec', ...flags, 'deis-controller', '/app/manage.py', 'shell'], RESAVE_SCRIPT);
				assert.equal(r.code, 125);
				assert.equal(r.stderr, `flag provided but not defined: ${undefinedFlag}\nSee 'docker exec --help'.\n`);
				assert.deepEqual(published(source), []);
			});
		}

		it('takes its own flags: -i -t -it -u --privileged --detach-keys', async () => {
			for (const flags of [['-i'], ['-it'], ['-u', 'root'], ['-uroot'], ['--privileged'], ['--detach-keys=ctrl-x'], ['--detach-keys', 'ctrl-p,q']]) {
				const r = await run(ssh, ['docker', 'exec', ...flags, 'deis-controller', '/app/manage.py', 'help', 'load_db_state_to_etcd']);
				assert.equal(r.code, 0, `${flags.join(' ')}: ${r.stderr}`);
			}
		});
	});

	describe('the controller\'s exec has no ETCD', () => {
		beforeEach(() => unpublish(source));

		it('publishes with `env ETCD=<host ip>:4001 /app/manage.py shell`', async () => {
			const r = await run(ssh, ['docker', 'exec', '-i', 'deis-controller', 'env', 'ETCD=127.0.0.1:4001', '/app/manage.py', 'shell'], RESAVE_SCRIPT);
			assert.equal(r.code, 0, r.stderr);
			assert.equal(r.stderr, '');
			assert.deepEqual(published(source), all);
		});

		it('without ETCD warns, exits 0 and publishes nothing, as Deis v1\'s models.py does', async () => {
			for (const argv of [
				['docker', 'exec', '-i', 'deis-controller', '/app/manage.py', 'shell'],
				['docker', 'exec', '-i', 'deis-controller', 'env', 'ETCD=10.0.0.1:4001', '/app/manage.py', 'shell'],
				['docker', 'exec', '-i', 'deis-controller', 'env', 'ETCD=127.0.0.1:4001', 'env', '-u', 'ETCD', '/app/manage.py', 'shell'],
			]) {
				const r = await run(ssh, argv, RESAVE_SCRIPT);
				assert.equal(r.code, 0, argv.join(' '));
				assert.equal(r.stderr, WARNING, argv.join(' '));
				assert.deepEqual(published(source), [], argv.join(' '));
			}
		});

		it('load_db_state_to_etcd publishes only with env ETCD=…; its help probe needs none', async () => {
			for (const probe of [['/app/manage.py'], ['env', 'ETCD=127.0.0.1:4001', '/app/manage.py']]) {
				assert.equal((await run(ssh, ['docker', 'exec', 'deis-controller', ...probe, 'help', 'load_db_state_to_etcd'])).code, 0);
			}
			const bare = await run(ssh, ['docker', 'exec', 'deis-controller', '/app/manage.py', 'load_db_state_to_etcd']);
			assert.equal(bare.code, 0);
			assert.equal(bare.stderr, WARNING);
			assert.deepEqual(published(source), []);
			const r = await run(ssh, ['docker', 'exec', 'deis-controller', 'env', 'ETCD=127.0.0.1:4001', '/app/manage.py', 'load_db_state_to_etcd']);
			assert.equal(r.code, 0, r.stderr);
			assert.deepEqual(published(source), all);
		});

		it('parses env like coreutils: -i, assignments, then the command', async () => {
			const r = await run(ssh, ['docker', 'exec', 'deis-controller', 'env', '-i', 'A=1', 'ETCD=127.0.0.1:4001', 'env']);
			assert.equal(r.code, 0, r.stderr);
			assert.deepEqual(r.stdout.toString().trim().split('\n').sort(), ['A=1', 'ETCD=127.0.0.1:4001']);
			const bad = await run(ssh, ['docker', 'exec', 'deis-controller', 'env', '-x', 'true']);
			assert.equal(bad.code, 125);
			assert.match(bad.stderr, /^env: invalid option -- 'x'/);
		});
	});

	describe('deisctl in /opt/bin, nse in login shells', () => {
		it('a non-interactive command finds neither deisctl nor nse by name', async () => {
			for (const name of ['deisctl', 'nse']) {
				const r = await run(ssh, [name, 'list']);
				assert.equal(r.code, 127);
				assert.equal(r.stderr, `bash: ${name}: command not found\n`);
			}
			const sudo = await run(ssh, ['sudo', 'deisctl', 'list']);
			assert.equal(sudo.code, 127);
		});

		it('/opt/bin/deisctl answers', async () => {
			const r = await run(ssh, ['/opt/bin/deisctl', 'config', 'store', 'get', 'gateway/accessKey']);
			assert.equal(r.code, 0, r.stderr);
			assert.equal(r.stdout.toString(), `${source.gatewayKeys.accessKey}\n`);
		});

		it('a login shell has deisctl and nse by name', async () => {
			const out = await loginShell(ssh, ['deisctl config store get gateway/accessKey', 'nse deis-controller']);
			assert.ok(out.includes(source.gatewayKeys.accessKey), out);
			assert.doesNotMatch(out, /command not found/);
			assert.match(out, /interactive/);
		});
	});
});
