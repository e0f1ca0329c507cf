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
import { compareKeys, listBucket, listGatewayBucket, nextMarker } from '../../source/steps/gateway/listing.js';

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

/** A fake gateway's listing by marker over `keys` (sorted as `order` sorts them), pages of `pageKeys`, recording each marker asked for. */
function fakeGateway(keys: string[], options: { pageKeys?: number; order?: (a: string, b: string) => number } = {}) {
	const pageKeys = options.pageKeys ?? 1000;
	const sorted = [...keys].sort(options.order ?? compareKeys);
	const markers: Array<string | undefined> = [];
	const http = {
		list: async (_bucket: string, marker: string | undefined) => {
			markers.push(marker);
			const start = marker === undefined ? 0 : sorted.findIndex((key) => (options.order ?? compareKeys)(key, marker) > 0);
			const rest = start < 0 ? [] : sorted.slice(start);
			const page = rest.slice(0, pageKeys);
			return { objects: page.map((key) => ({ key, size: key.length })), truncated: rest.length > page.length, nextMarker: undefined };
		},
	};
	return { http: http as unknown as ObjectHttp, markers, sorted };
}

const numbered = (count: number, prefix = 'k') => Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(5, '0')}`);

test('with the last backup\'s keys, a large bucket is listed in ranges at once, every key once and in order', async () => {
	const keys = numbered(10_000);
	const gateway = fakeGateway(keys);
	const listed = await listGatewayBucket({ http: gateway.http, endpoint: 'http://gw', bucket: 'b' }, undefined, keys);
	assert.deepEqual(listed.map((object) => object.key), gateway.sorted);
	// Four ranges cut at known keys: 3 + 3 + 3 + 1 pages, not ten pages one after another.
	assert.deepEqual(gateway.markers.filter((marker) => marker === undefined || ['k02999', 'k05999', 'k08999'].includes(marker)).length, 4);
	assert.equal(gateway.markers.length, 10);
});

test('ranges still give the whole bucket when keys were added and removed since the last backup, markers included', async () => {
	const before = numbered(10_000);
	// Removed: a range's own first marker and keys around the cuts; added: keys inside, before and after every range.
	const removed = new Set(['k02999', 'k03000', 'k05998', 'k08999', 'k00000']);
	const now = [...before.filter((key) => !removed.has(key)), 'a', 'k02999a', 'k05999~', 'k089990', 'zz', ...numbered(1500, 'k04500-')];
	const gateway = fakeGateway(now);
	const listed = await listGatewayBucket({ http: gateway.http, endpoint: 'http://gw', bucket: 'b' }, undefined, before);
	assert.deepEqual(listed.map((object) => object.key), gateway.sorted);
	// Page by page too: what the caller is handed is exactly the listing.
	const handed: string[] = [];
	await listGatewayBucket({ http: fakeGateway(now).http, endpoint: 'http://gw', bucket: 'b' }, (page) => handed.push(...page.map((object) => object.key)), before);
	assert.deepEqual([...handed].sort(compareKeys), gateway.sorted);
});

test('a gateway that lists out of S3 order (UTF-8 binary) is listed in one pass instead, and nothing is lost', async () => {
	// U+FFFD sorts after U+1F600 in UTF-16 units but before it in code points.
	const keys = [...numbered(3000), ...Array.from({ length: 1500 }, (_, i) => `k01500\u{1F600}${i}`), ...Array.from({ length: 1500 }, (_, i) => `k01500\uFFFD${i}`)];
	const utf16 = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
	const gateway = fakeGateway(keys, { order: utf16 });
	const listed = await listGatewayBucket({ http: gateway.http, endpoint: 'http://gw', bucket: 'b' }, undefined, [...keys].sort(compareKeys));
	assert.deepEqual(listed.map((object) => object.key), gateway.sorted);
	assert.equal(new Set(listed.map((object) => object.key)).size, keys.length);
});

test('keys compare in code point order, as UTF-8 bytes do', () => {
	const keys = ['a', 'ab', 'b', '\u00e9', '\uFFFD', '\u{1F600}', 'a\u{10000}', 'a\uE000'];
	const byBytes = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
	assert.deepEqual([...keys].sort(compareKeys), byBytes);
});
