/**
 * Bucket listings as a Deis v1 gateway gives them: ListObjects v1 pages of at
 * most 1,000 keys, `IsTruncated` with a `NextMarker` or without one, and
 * never a continuation token. A local HTTP server plays the gateway and
 * records what the client asked for.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createGatewayClient, type GatewayClient } from '../../source/cluster/gateway-client.js';
import type { ObjectHttp } from '../../source/cluster/object-http.js';
import { listBucket, nextMarker } from '../../source/steps/gateway/listing.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

let server: http.Server;
let gateway: GatewayClient;
const asked: URLSearchParams[] = [];
const authorizations: string[] = [];
/** Answers one listing request from its query. */
let page: (query: URLSearchParams) => string = () => listingXml([], false);
/** How many of the next answers are cut short mid-body. */
let cutNext = 0;

function listingXml(keys: string[], truncated: boolean, next?: string): string {
	const contents = keys.map((key) => `<Contents><Key>${key}</Key><Size>${key.length}</Size><ETag>"0123456789abcdef0123456789abcdef"</ETag></Contents>`).join('');
	return `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix></Prefix><Marker></Marker>${next ? `<NextMarker>${next}</NextMarker>` : ''}<MaxKeys>1000</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}</ListBucketResult>`;
}

const keysFrom = (start: number, count: number) => Array.from({ length: count }, (_, i) => `k${String(start + i).padStart(5, '0')}`);

before(async () => {
	server = http.createServer((req, res) => {
		const query = new URL(req.url ?? '/', 'http://x').searchParams;
		asked.push(query);
		authorizations.push(String(req.headers.authorization));
		res.setHeader('Content-Type', 'application/xml');
		const body = page(query);
		if (cutNext > 0) {
			// Announces the whole page, sends half of it and hangs up: a reset mid-body.
			cutNext--;
			res.setHeader('Content-Length', String(Buffer.byteLength(body)));
			res.write(body.slice(0, body.length >> 1), () => res.destroy());
			return;
		}
		res.end(body);
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	gateway = await createGatewayClient({ endpoint, keys: { accessKey: 'AK', secretKey: 'SK' }, concurrency: 2, signatureVersion: 2 });
});

after(() => {
	gateway.destroy();
	server.close();
});

test('pages by marker: the last key of a page when no NextMarker is given, NextMarker when it is', async () => {
	asked.length = 0;
	authorizations.length = 0;
	page = (query) => {
		const marker = query.get('marker');
		if (!marker) return listingXml(keysFrom(0, 1000), true);
		if (marker === 'k00999') return listingXml(keysFrom(1000, 1000), true, 'k01999');
		if (marker === 'k01999') return listingXml(keysFrom(2000, 345), false);
		throw new Error(`unexpected marker ${marker}`);
	};
	const objects = await listBucket(gateway.http, 'registry');
	assert.equal(objects.length, 2345);
	assert.equal(new Set(objects.map((o) => o.key)).size, 2345);
	assert.deepEqual(
		asked.map((q) => q.get('marker')),
		[null, 'k00999', 'k01999'],
	);
	// A v1 listing: nothing a v1-only gateway would ignore or refuse.
	for (const query of asked) {
		assert.equal(query.get('list-type'), null);
		assert.equal(query.get('continuation-token'), null);
	}
	for (const authorization of authorizations) assert.match(authorization, /^AWS AK:[A-Za-z0-9+/]{27}=$/);
});

test('a page that says truncated but gives no way on is an error, never a short list', async () => {
	page = () => listingXml([], true);
	await assert.rejects(listBucket(gateway.http, 'db_wal'), (error: Error) => error.name === 'TruncatedListing' && /db_wal.*after 0 objects/.test(error.message));
	page = (query) => (query.get('marker') ? listingXml(['k00001'], true) : listingXml(['k00000', 'k00001'], true));
	// The second page ends on the key it started after: the same page would come back forever.
	await assert.rejects(listBucket(gateway.http, 'db_wal'), (error: Error) => error.name === 'TruncatedListing' && /after 3 objects/.test(error.message));
});

test('the next marker: given beats last key; nothing, or the same marker again, stops', () => {
	assert.equal(nextMarker('n', 'last', undefined), 'n');
	assert.equal(nextMarker(undefined, 'last', 'before'), 'last');
	assert.equal(nextMarker('', 'last', undefined), 'last');
	assert.equal(nextMarker(undefined, undefined, 'before'), undefined);
	assert.equal(nextMarker(undefined, 'same', 'same'), undefined);
});

test('a page cut short mid-body is asked for again, not read as a shorter listing', async () => {
	asked.length = 0;
	page = (query) => (query.get('marker') ? listingXml(keysFrom(1000, 10), false) : listingXml(keysFrom(0, 1000), true));
	cutNext = 1;
	const objects = await listBucket(gateway.http, 'registry');
	assert.equal(objects.length, 1010);
	assert.deepEqual(
		asked.map((q) => q.get('marker')),
		[null, null, 'k00999'],
	);
});

test('keys with XML-escaped characters round-trip through the listing', async () => {
	const keys = ['a&b/<c>', '"q" \'s\'', 'é 日本/🎉', 'cr\rlf'];
	const escaped = ['a&amp;b/&lt;c&gt;', '&quot;q&quot; &apos;s&apos;', 'é 日本/🎉', 'cr&#13;lf'];
	page = () => listingXml(escaped, false);
	assert.deepEqual(
		(await listBucket(gateway.http, 'registry')).map((o) => o.key),
		keys,
	);
});

test('an answer that is not a listing is an error, never an empty bucket', async () => {
	page = () => '<html><body>502 Bad Gateway</body></html>';
	await assert.rejects(listBucket(gateway.http, 'registry'), (error: Error) => error.name === 'MalformedListing');
});

test("each page reaches the caller after the next one was asked for (the caller's work overlaps the gateway's), in order, and the last page too", async () => {
	const events: string[] = [];
	const pages = [keysFrom(0, 3), keysFrom(3, 3), keysFrom(6, 2)];
	const fake = {
		list: async (_bucket: string, marker: string | undefined) => {
			const index = marker === undefined ? 0 : pages.findIndex((keys) => keys[0] && keys[0] > marker);
			events.push(`ask ${index}`);
			const keys = pages[index] as string[];
			return { objects: keys.map((key) => ({ key, size: 1 })), truncated: index < pages.length - 1, nextMarker: undefined };
		},
	};
	const objects = await listBucket(fake as unknown as ObjectHttp, 'b', undefined, (page) => events.push(`page ${page[0]?.key}`));
	assert.equal(objects.length, 8);
	assert.deepEqual(events, ['ask 0', 'ask 1', 'page k00000', 'ask 2', 'page k00003', 'page k00006']);
});
