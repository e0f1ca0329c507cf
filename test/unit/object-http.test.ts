import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { escapePath, GatewayError, ObjectHttp } from '../../source/cluster/object-http.js';
import type { SignatureVersion } from '../../source/settings.js';
import { authorizationV2 } from '../../source/cluster/signature-v2.js';

interface Seen {
	method?: string;
	url?: string;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
}

let server: http.Server;
let endpoint: string;
const seen: Seen[] = [];
let answer: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) => res.end();

before(async () => {
	server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
			answer(req, res);
		});
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => server.close());

/** A GET's head and its whole body. */
async function getAll(http: ObjectHttp, bucket: string, key: string): Promise<{ etag?: string; size?: number; body: Buffer }> {
	const chunks: Buffer[] = [];
	const head = await http.get(bucket, key, () => (data) => {
		chunks.push(Buffer.from(data));
	});
	return { ...head, body: Buffer.concat(chunks) };
}

function client(concurrency = 4, signatureVersion: SignatureVersion = 2): ObjectHttp {
	return new ObjectHttp({ endpoint, accessKey: 'AKIDEXAMPLE', secretKey: 'wJalrXUtnFEMI', signatureVersion, concurrency, idleTimeoutMs: 5_000 });
}

test('keys are escaped as S3 wants: every byte but unreserved ones, slashes kept', () => {
	assert.equal(escapePath("wal_005/0000 1+(x)!*'~.lzo"), 'wal_005/0000%201%2B%28x%29%21%2A%27~.lzo');
	assert.equal(escapePath('ünï/%2F'), '%C3%BCn%C3%AF/%252F');
});

async function putPart(signatureVersion: SignatureVersion): Promise<Seen> {
	seen.length = 0;
	answer = (_req, res) => {
		res.setHeader('ETag', '"0123456789abcdef0123456789abcdef"');
		res.end();
	};
	const body = Buffer.from('segment bytes');
	const { etag } = await client(4, signatureVersion).put('db_wal', 'wal_005/a b', body, body.length, undefined, { uploadId: 'x/y=z', partNumber: '2' });
	assert.equal(etag, '0123456789abcdef0123456789abcdef');
	const [request] = seen;
	assert.ok(request);
	assert.equal(request.method, 'PUT');
	assert.equal(request.url, '/db_wal/wal_005/a%20b?partNumber=2&uploadId=x%2Fy%3Dz');
	assert.deepEqual(request.body, body);
	return request;
}

test('a PUT sends the exact bytes with its query sorted and escaped, signed v2 over its Date and sub-resources, and returns the ETag', async () => {
	const request = await putPart(2);
	const date = String(request.headers.date);
	assert.ok(!Number.isNaN(Date.parse(date)), 'a Date header is sent, since v2 signs it');
	// The signature a Deis v1 gateway recomputes: sub-resources unescaped and sorted, no payload hash.
	const expected = authorizationV2({ accessKey: 'AKIDEXAMPLE', secretKey: 'wJalrXUtnFEMI' }, { method: 'PUT', path: '/db_wal/wal_005/a%20b', query: { partNumber: '2', uploadId: 'x/y=z' }, headers: { date } });
	assert.equal(request.headers.authorization, expected);
	assert.equal(request.headers['x-amz-content-sha256'], undefined);
});

test('with --signature-version 4 the same PUT is signed SigV4 with an unsigned payload', async () => {
	const request = await putPart(4);
	assert.match(String(request.headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/s3\/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$/);
	assert.equal(request.headers['x-amz-content-sha256'], 'UNSIGNED-PAYLOAD');
});

test("a refusal becomes an error shaped like the S3 client's: the gateway's code as name, the HTTP status", async () => {
	answer = (_req, res) => {
		res.statusCode = 503;
		res.end('<?xml version="1.0"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
	};
	const error = await getAll(client(), 'registry', 'images/x/json').then(
		() => undefined,
		(e: unknown) => e,
	);
	assert.ok(error instanceof GatewayError);
	assert.equal(error.name, 'SlowDown');
	assert.equal(error.$metadata.httpStatusCode, 503);
	assert.equal(error.message, 'Please reduce your request rate.');

	answer = (_req, res) => {
		res.statusCode = 413;
		res.end('<html><body>413 Request Entity Too Large</body></html>');
	};
	const tooLarge = await client().put('db_wal', 'big', Buffer.alloc(10), 10).then(
		() => undefined,
		(e: unknown) => e as GatewayError,
	);
	assert.equal(tooLarge?.name, 'Http413');
	assert.equal(tooLarge?.$metadata.httpStatusCode, 413);
});

test('a GET hands over the body as it streams, with its length and ETag', async () => {
	const payload = Buffer.alloc(300_000, 7);
	answer = (_req, res) => {
		res.setHeader('ETag', '"abc"');
		res.setHeader('Content-Length', payload.length);
		res.end(payload);
	};
	const got = await getAll(client(), 'registry', 'layer');
	assert.equal(got.etag, 'abc');
	assert.equal(got.size, payload.length);
	assert.deepEqual(got.body, payload);
	// The short way of signing a plain GET gives what the general v2 signer would.
	const request = seen.at(-1) as Seen;
	const expected = authorizationV2({ accessKey: 'AKIDEXAMPLE', secretKey: 'wJalrXUtnFEMI' }, { method: 'GET', path: '/registry/layer', headers: { date: String(request.headers.date) } });
	assert.equal(request.headers.authorization, expected);
});

test('a chunked answer (no Content-Length) is read whole, as a gateway behind another proxy may send it', async () => {
	seen.length = 0;
	const payload = Buffer.from('chunked body '.repeat(5000));
	answer = (_req, res) => {
		res.setHeader('ETag', '"c"');
		// No Content-Length: Node's server sends it chunked.
		res.write(payload.subarray(0, 1000));
		res.end(payload.subarray(1000));
	};
	const got = await getAll(client(), 'registry', 'chunked');
	assert.deepEqual(got.body, payload);
	assert.equal(got.etag, 'c');
	assert.equal(got.size, undefined, 'no length was announced');
	assert.equal(seen.length, 1);
});

test('a PUT from a body writer sends exactly what it writes, from buffers it reuses', async () => {
	seen.length = 0;
	answer = (_req, res) => {
		res.setHeader('ETag', '"p"');
		res.end();
	};
	const buffer = Buffer.alloc(64 * 1024);
	const expected: Buffer[] = [];
	const { etag } = await client().put(
		'registry',
		'big',
		async (send) => {
			for (let i = 0; i < 20; i++) {
				buffer.fill(i);
				expected.push(Buffer.from(buffer));
				await send(buffer);
			}
		},
		20 * buffer.length,
	);
	assert.equal(etag, 'p');
	assert.deepEqual(seen[0]?.body, Buffer.concat(expected));
});

test('a listing page is one signed v2 GET by marker, unsigned query, nothing a v1 gateway would refuse', async () => {
	seen.length = 0;
	answer = (_req, res) => res.end('<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>a &amp; b</Key><Size>3</Size><ETag>&quot;e&quot;</ETag></Contents></ListBucketResult>');
	const page = await client().list('db_wal', 'wal_005/x y');
	assert.deepEqual(page, { objects: [{ key: 'a & b', size: 3, etag: 'e' }], truncated: false, nextMarker: undefined });
	const request = seen[0] as Seen;
	assert.equal(request.method, 'GET');
	assert.equal(request.url, '/db_wal/?marker=wal_005%2Fx%20y&max-keys=1000');
	const expected = authorizationV2({ accessKey: 'AKIDEXAMPLE', secretKey: 'wJalrXUtnFEMI' }, { method: 'GET', path: '/db_wal/', query: { marker: 'wal_005/x y', 'max-keys': '1000' }, headers: { date: String(request.headers.date) } });
	assert.equal(request.headers.authorization, expected);
});

test('the bucket requests a restore makes are signed v2 on the bucket path: is it there, create it, and GET Service as the keys probe', async () => {
	const keys = { accessKey: 'AKIDEXAMPLE', secretKey: 'wJalrXUtnFEMI' };
	const buckets = new Set<string>();
	seen.length = 0;
	answer = (req, res) => {
		const name = decodeURIComponent((req.url ?? '/').split('?')[0]?.slice(1) ?? '');
		if (req.method === 'PUT') buckets.add(name);
		else if (name && !buckets.has(name)) res.statusCode = 404;
		res.end(res.statusCode === 404 ? '<Error><Code>NoSuchBucket</Code></Error>' : '<ListAllMyBucketsResult/>');
	};
	const gateway = client();
	assert.equal(await gateway.hasBucket('db wal'), false);
	await gateway.createBucket('db wal');
	assert.equal(await gateway.hasBucket('db wal'), true);
	await gateway.listBuckets();
	assert.deepEqual(
		seen.map((request) => `${request.method} ${request.url} ${request.headers['content-length'] ?? '-'}`),
		['GET /db%20wal?max-keys=1 -', 'PUT /db%20wal 0', 'GET /db%20wal?max-keys=1 -', 'GET / -'],
	);
	for (const request of seen) {
		const path = (request.url ?? '/').split('?')[0] as string;
		const query = request.url?.includes('?') ? { 'max-keys': '1' } : {};
		assert.equal(request.headers.authorization, authorizationV2(keys, { method: request.method as string, path, query, headers: { date: String(request.headers.date) } }));
		assert.equal(request.body.length, 0);
	}
});

test('only the gateway saying NoSuchBucket means a missing bucket: a bare 404 from something in front of it, or a refusal, is an error', async () => {
	answer = (_req, res) => {
		res.statusCode = 404;
		res.end('<html><body>404 Not Found</body></html>');
	};
	await assert.rejects(client().hasBucket('db_wal'), (error: unknown) => error instanceof GatewayError && error.name === 'Http404');
	answer = (_req, res) => {
		res.statusCode = 403;
		res.end('<Error><Code>InvalidAccessKeyId</Code></Error>');
	};
	await assert.rejects(client().hasBucket('db_wal'), { name: 'InvalidAccessKeyId' });
	await assert.rejects(client().listBuckets(), { name: 'InvalidAccessKeyId' });
});

test('a listing page sent chunked (no Content-Length, as through another proxy) reads the same as one with its length', async () => {
	const xml = '<ListBucketResult><IsTruncated>true</IsTruncated><Contents><Key>ünï/a</Key><Size>3</Size><ETag>&quot;e&quot;</ETag></Contents></ListBucketResult>';
	answer = (_req, res) => {
		// Split inside a multi-byte character: the pieces must be joined before decoding.
		const bytes = Buffer.from(xml);
		const cut = bytes.indexOf(Buffer.from('ü')) + 1;
		res.write(bytes.subarray(0, cut));
		res.end(bytes.subarray(cut));
	};
	const chunked = await client().list('db_wal', undefined);
	answer = (_req, res) => {
		res.setHeader('Content-Length', Buffer.byteLength(xml));
		res.end(xml);
	};
	const whole = await client().list('db_wal', undefined);
	assert.deepEqual(chunked, { objects: [{ key: 'ünï/a', size: 3, etag: 'e' }], truncated: true, nextMarker: undefined });
	assert.deepEqual(whole, chunked);
});
