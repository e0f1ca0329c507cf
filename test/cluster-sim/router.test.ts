// The router answers as a Deis v1 store gateway (radosgw firefly to infernalis):
// AWS v2 signatures only, v1 listings only; the modern-gateway switch lifts both.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { URL } from 'node:url';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { gatewayGeneration, loadCluster, s3For, setGatewayGeneration, v2Authorization, v4PresignedGet, v4SignedHeaders } from '../cluster/env.js';

const env = loadCluster();
const host = new URL(env.storeEndpoint).host;

interface Answer {
	status: number;
	body: string;
	raw: Buffer;
	contentType: string | undefined;
}

/** One request through the router, exactly as given: path and query are sent unchanged. */
function send(method: string, pathAndQuery: string, headers: Record<string, string>, body?: Buffer): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const req = request({ host: '127.0.0.1', port: 80, method, path: pathAndQuery, headers: { Host: host, ...headers }, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				const raw = Buffer.concat(chunks);
				resolve({ status: res.statusCode ?? 0, body: raw.toString('utf8'), raw, contentType: res.headers['content-type'] });
			});
		});
		req.on('error', reject);
		req.end(body);
	});
}

/** A v2-signed request; `query` is sent in this order, encoded as given. */
function sendV2(method: string, path: string, query: Array<[string, string]> = [], body?: Buffer): Promise<Answer> {
	const headers: Record<string, string> = { Date: new Date().toUTCString() };
	if (body) headers['Content-Length'] = String(body.length);
	headers['Authorization'] = v2Authorization(env.keys, method, path, Object.fromEntries(query), headers);
	const qs = query.map(([k, v]) => (v === '' ? k : `${k}=${encodeURIComponent(v)}`)).join('&');
	return send(method, qs ? `${path}?${qs}` : path, headers, body);
}

const registry = env.objects.filter((o) => o.bucket === 'registry');
const odd = registry.filter((o) => /[ +\u0080-\uffff]/.test(o.key));
/** Path-style, each key segment percent-encoded as clients send it. */
const pathOf = (bucket: string, key: string) => `/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;

describe('a Deis v1 gateway (the default)', () => {
	test('the router says so', async () => {
		assert.equal(await gatewayGeneration(), 'firefly');
	});

	test('an AWS4-HMAC-SHA256 Authorization header gets 400 InvalidArgument, as RGW_Auth_S3::authorize answers', async () => {
		const headers = await v4SignedHeaders(env.keys, host, '/registry');
		const answer = await send('GET', '/registry', headers);
		assert.match(String(headers['authorization']), /^AWS4-HMAC-SHA256 Credential=/);
		assert.equal(answer.status, 400);
		assert.equal(answer.contentType, 'application/xml');
		assert.match(answer.body, /^<\?xml [^>]*\?><Error><Code>InvalidArgument<\/Code><\/Error>$/);
	});

	test('the SDK signing v4 is refused the same way, and a v4 PUT stores nothing', async () => {
		const modern = s3For(env.keys, env.storeEndpoint, 'v4');
		await assert.rejects(modern.send(new ListObjectsV2Command({ Bucket: 'registry' })), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
			assert.equal(error.name, 'InvalidArgument');
			assert.equal(error.$metadata?.httpStatusCode, 400);
			return true;
		});
		const key = 'cluster-sim/v4-put';
		await assert.rejects(modern.send(new PutObjectCommand({ Bucket: 'registry', Key: key, Body: 'x' })), /InvalidArgument/);
		await assert.rejects(s3For(env.keys).send(new HeadObjectCommand({ Bucket: 'registry', Key: key })), (error: Error) => error.name === 'NotFound');
	});

	test('a v4 presigned URL is anonymous there: 403 AccessDenied', async () => {
		const answer = await send('GET', await v4PresignedGet(env.keys, host, pathOf('registry', registry[0]!.key)), {});
		assert.equal(answer.status, 403);
		assert.match(answer.body, /<Error><Code>AccessDenied<\/Code><\/Error>/);
	});

	test('a v2-signed `GET /registry?list-type=2&max-keys=2` gets a v1 listing: Marker and NextMarker, no continuation token', async () => {
		const answer = await sendV2('GET', '/registry', [['list-type', '2'], ['max-keys', '2']]);
		assert.equal(answer.status, 200, answer.body);
		assert.match(answer.body, /<Marker><\/Marker>|<Marker\/>/);
		assert.match(answer.body, /<IsTruncated>true<\/IsTruncated>/);
		assert.doesNotMatch(answer.body, /ContinuationToken|<KeyCount>|<StartAfter>/);
		assert.equal(answer.body.match(/<Contents>/g)?.length, 2);
		const sorted = registry.map((o) => o.key).sort();
		assert.deepEqual([...answer.body.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]), sorted.slice(0, 2));
	});

	test('continuation-token, start-after and fetch-owner are ignored too, wherever they stand in the query', async () => {
		const sorted = registry.map((o) => o.key).sort();
		const answer = await sendV2('GET', '/registry', [
			['continuation-token', 'bm90LWEtdG9rZW4='], ['max-keys', '3'], ['start-after', sorted[10]!], ['list-type', '2'], ['fetch-owner', 'true'],
		]);
		assert.equal(answer.status, 200, answer.body);
		assert.deepEqual([...answer.body.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]), sorted.slice(0, 3));
		assert.doesNotMatch(answer.body, /ContinuationToken|<KeyCount>/);
	});

	test('v1 marker paging (ListObjects, signed v2) lists every seeded registry object exactly once', async () => {
		const s3 = s3For(env.keys);
		const keys: string[] = [];
		let marker: string | undefined;
		let pages = 0;
		for (;;) {
			const page = await s3.send(new ListObjectsCommand({ Bucket: 'registry', Marker: marker, MaxKeys: 7 }));
			const got = (page.Contents ?? []).map((o) => o.Key ?? '');
			keys.push(...got);
			pages++;
			if (!page.IsTruncated) break;
			marker = page.NextMarker ?? got.at(-1);
		}
		assert.ok(pages > 2);
		assert.deepEqual(keys, registry.map((o) => o.key).sort());
	});

	test('ListObjectsV2 through the SDK (signed v2) comes back as one v1 page with no way to continue', async () => {
		const page = await s3For(env.keys).send(new ListObjectsV2Command({ Bucket: 'registry', MaxKeys: 2 }));
		assert.equal(page.IsTruncated, true);
		assert.equal(page.NextContinuationToken, undefined);
		assert.equal(page.KeyCount, undefined);
		assert.equal(page.Contents?.length, 2);
	});

	test('v2-signed GETs of keys with a space, unicode and + return the seeded bytes', async () => {
		assert.ok(odd.length >= 3);
		const s3 = s3For(env.keys);
		for (const o of odd) {
			const raw = await sendV2('GET', pathOf('registry', o.key));
			assert.equal(raw.status, 200, `${o.key}: ${raw.body}`);
			assert.equal(createHash('sha256').update(raw.raw).digest('hex'), o.sha256, o.key);
			const body = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'registry', Key: o.key }))).Body!.transformToByteArray());
			assert.equal(createHash('sha256').update(body).digest('hex'), o.sha256, o.key);
		}
	});

	test('a key with space, +, %, unicode and .. round-trips byte-exact through the router, and is listed as sent', async () => {
		const s3 = s3For(env.keys);
		const key = 'cluster-sim/a b+c%25d %2F é/../x+y';
		const body = Buffer.from('odd key body');
		await s3.send(new PutObjectCommand({ Bucket: 'registry', Key: key, Body: body }));
		try {
			const got = await s3.send(new GetObjectCommand({ Bucket: 'registry', Key: key }));
			assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), body);
			const listed = await s3.send(new ListObjectsCommand({ Bucket: 'registry', Prefix: 'cluster-sim/' }));
			assert.deepEqual(listed.Contents?.map((o) => o.Key), [key]);
			// A `+` that the router decoded to a space would name another key.
			await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: 'registry', Key: key.replaceAll('+', ' ') })), (error: Error) => error.name === 'NotFound');
		} finally {
			await s3.send(new DeleteObjectCommand({ Bucket: 'registry', Key: key }));
		}
	});

	test('a v2 request with a wrong signature is still refused by the gateway (the router does not sign for anyone)', async () => {
		const headers = { Date: new Date().toUTCString(), Authorization: `AWS ${env.keys.accessKey}:${Buffer.alloc(20).toString('base64')}` };
		const answer = await send('GET', '/registry', headers);
		assert.equal(answer.status, 403);
		assert.match(answer.body, /SignatureDoesNotMatch/);
	});
});

describe('a modern gateway (setGatewayGeneration("modern"))', () => {
	after(() => setGatewayGeneration('firefly'));

	test('takes v4 signatures and answers ListObjectsV2 with continuation tokens', async () => {
		await setGatewayGeneration('modern');
		assert.equal(await gatewayGeneration(), 'modern');
		const s3 = s3For(env.keys, env.storeEndpoint, 'v4');
		const keys: string[] = [];
		let token: string | undefined;
		let first = true;
		do {
			const page = await s3.send(new ListObjectsV2Command({ Bucket: 'registry', ContinuationToken: token, MaxKeys: 20 }));
			if (first) assert.equal(page.KeyCount, 20);
			first = false;
			keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
			token = page.NextContinuationToken;
		} while (token);
		assert.deepEqual(keys, registry.map((o) => o.key).sort());
	});

	test('serves a v4 presigned URL, and still takes v2', async () => {
		await setGatewayGeneration('modern');
		const o = odd[0]!;
		const answer = await send('GET', await v4PresignedGet(env.keys, host, pathOf('registry', o.key)), {});
		assert.equal(answer.status, 200, answer.body);
		assert.equal(createHash('sha256').update(answer.raw).digest('hex'), o.sha256);
		assert.equal((await sendV2('GET', pathOf('registry', o.key))).status, 200);
	});

	test('switching back refuses v4 again', async () => {
		await setGatewayGeneration('modern');
		await setGatewayGeneration('firefly');
		assert.equal(await gatewayGeneration(), 'firefly');
		await assert.rejects(s3For(env.keys, env.storeEndpoint, 'v4').send(new ListObjectsV2Command({ Bucket: 'registry' })), /InvalidArgument/);
	});
});
