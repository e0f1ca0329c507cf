/**
 * The purpose-built reader of ListObjects v1 pages: what radosgw sends
 * (entities in keys and ETags, Owner blocks, NextMarker or none), and
 * documents that must be refused rather than read as a shorter listing.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decode, parseListPage } from '../../source/cluster/list-page.js';

const HEAD = '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">';

function contents(key: string, size: number, etag: string): string {
	return `<Contents><Key>${key}</Key><LastModified>2026-12-02T04:00:00.000Z</LastModified><ETag>${etag}</ETag><Size>${size}</Size><StorageClass>STANDARD</StorageClass><Owner><ID>deis</ID><DisplayName>Deis &amp; co</DisplayName></Owner><Type>Normal</Type></Contents>`;
}

test('keys, sizes and unquoted ETags of a page, in order; IsTruncated and NextMarker', () => {
	const xml = `${HEAD}<Name>b</Name><Prefix></Prefix><Marker>m</Marker><NextMarker>b/2</NextMarker><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>${contents('a/1', 12, '&quot;0123456789abcdef0123456789abcdef&quot;')}${contents('b/2', 0, '"fedcba9876543210fedcba9876543210-3"')}</ListBucketResult>`;
	const page = parseListPage(xml);
	assert.deepEqual(page.objects, [
		{ key: 'a/1', size: 12, etag: '0123456789abcdef0123456789abcdef' },
		{ key: 'b/2', size: 0, etag: 'fedcba9876543210fedcba9876543210-3' },
	]);
	assert.equal(page.truncated, true);
	assert.equal(page.nextMarker, 'b/2');
});

test('an empty bucket, a last page without NextMarker, and an empty <Prefix/>', () => {
	assert.deepEqual(parseListPage(`${HEAD}<Name>b</Name><Prefix/><Marker/><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>`), { objects: [], truncated: false, nextMarker: undefined });
	const page = parseListPage(`${HEAD}<Name>b</Name><IsTruncated>false</IsTruncated>${contents('x', 1, '"e"')}</ListBucketResult>`);
	assert.equal(page.truncated, false);
	assert.equal(page.nextMarker, undefined);
	assert.deepEqual(page.objects, [{ key: 'x', size: 1, etag: 'e' }]);
});

test('IsTruncated and NextMarker after the Contents are found too', () => {
	const page = parseListPage(`${HEAD}<Name>b</Name>${contents('k', 3, '"e"')}<IsTruncated>true</IsTruncated><NextMarker>k</NextMarker></ListBucketResult>`);
	assert.equal(page.truncated, true);
	assert.equal(page.nextMarker, 'k');
});

test('keys with markup characters, entities and odd characters come back exactly', () => {
	const keys = ['a&b', '<tag>', 'x>y', '"quoted"', "it's", 'é/日本語/🎉', 'tab\there', 'sp ace/+plus/%25', 'back\\slash', '  lead and trail  ', '&amp; literally'];
	const escape = (key: string) => key.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&apos;');
	const xml = `${HEAD}<IsTruncated>false</IsTruncated>${keys.map((key) => contents(escape(key), key.length, '"e"')).join('')}</ListBucketResult>`;
	assert.deepEqual(
		parseListPage(xml).objects.map((o) => o.key),
		keys,
	);
	// A key that looks like an element once decoded does not confuse the search for elements.
	const tricky = parseListPage(`${HEAD}<IsTruncated>false</IsTruncated>${contents('&lt;/Contents&gt;&lt;IsTruncated&gt;true&lt;/IsTruncated&gt;', 5, '"e"')}</ListBucketResult>`);
	assert.equal(tricky.truncated, false);
	assert.deepEqual(
		tricky.objects.map((o) => o.key),
		['</Contents><IsTruncated>true</IsTruncated>'],
	);
});

test('numeric character references, decimal and hex; unknown entities are left as they are', () => {
	assert.equal(decode('cr&#13;lf&#10;ctl&#x1;&#X41;&#x1F389;'), 'cr\rlf\nctl\u0001&#X41;🎉');
	assert.equal(decode('&#65;&#x42;&nbsp;&'), 'AB&nbsp;&');
	assert.equal(decode('plain'), 'plain');
});

test('a document that is not a whole listing is refused, never read as a shorter one', () => {
	const full = `${HEAD}<IsTruncated>false</IsTruncated>${contents('a', 1, '"e"')}${contents('b', 1, '"e"')}</ListBucketResult>`;
	for (const cut of [full.slice(0, full.indexOf('<Contents>', full.indexOf('<Contents>') + 1)), full.slice(0, -5), '<html><body>Bad gateway</body></html>', '']) {
		assert.throws(
			() => parseListPage(cut),
			(error: Error) => error.name === 'MalformedListing',
		);
	}
	assert.throws(
		() => parseListPage(`${HEAD}<Contents><Size>1</Size></Contents><IsTruncated>false</IsTruncated></ListBucketResult>`),
		/without a Key/,
	);
	assert.throws(
		() => parseListPage(`${HEAD}<Name>b</Name></ListBucketResult>`),
		/no IsTruncated/,
	);
});

/**
 * Pages a real radosgw (Ceph 16, the simulated cluster's) sent for a bucket of odd keys:
 * `radosgw/list-odd-keys.xml` whole, `radosgw/list-truncated.xml` with max-keys=3 from marker "amp".
 * It escapes \r and control characters as &#x..; and sends a newline raw.
 */
const ODD_KEYS = ['plain/a.json', 'amp & <lt> >gt "quote" \'apos\'', 'é/ünïcødé/日本語', 'emoji 🎉/x', 'sp ace/+plus/%25pct', 'tab\there', 'ctl\u0001x', 'cr\rlf\nend', 'back\\slash', '  lead and trail  '];
const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'radosgw', name), 'utf8');

test("radosgw's own listing of odd keys reads back every key exactly, with its size and MD5 ETag", () => {
	const page = parseListPage(fixture('list-odd-keys.xml'));
	assert.equal(page.truncated, false);
	assert.equal(page.nextMarker, undefined);
	assert.deepEqual(
		page.objects.map((o) => o.key),
		[...ODD_KEYS].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
	);
	// Each object's body was its key.
	for (const object of page.objects) {
		assert.equal(object.size, Buffer.byteLength(object.key));
		assert.match(object.etag ?? '', /^[0-9a-f]{32}$/);
	}
});

test("radosgw's truncated page: three keys after the marker, IsTruncated true, and a NextMarker even without a delimiter", () => {
	const page = parseListPage(fixture('list-truncated.xml'));
	assert.equal(page.truncated, true);
	assert.equal(page.nextMarker, 'cr\rlf\nend');
	assert.deepEqual(
		page.objects.map((o) => o.key),
		['amp & <lt> >gt "quote" \'apos\'', 'back\\slash', 'cr\rlf\nend'],
	);
});

test('an ETag is unquoted whether the quotes come escaped, raw, or around another escape', () => {
	const xml = `${HEAD}<IsTruncated>false</IsTruncated>${contents('a', 1, '&quot;0123456789abcdef0123456789abcdef&quot;')}${contents('b', 1, '"0123"')}${contents('c', 1, '&quot;x&amp;y&quot;')}${contents('d', 1, '&quot;')}</ListBucketResult>`;
	assert.deepEqual(
		parseListPage(xml).objects.map((object) => object.etag),
		['0123456789abcdef0123456789abcdef', '0123', 'x&y', ''],
	);
});
