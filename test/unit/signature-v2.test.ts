/**
 * AWS signature v2 against the examples of the S3 developer guide's
 * "Signing and authenticating REST requests" (AKIAIOSFODNN7EXAMPLE): each
 * string to sign exactly as printed there, and the signatures the guide gives
 * for the requests whose example it keeps current.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authorizationV2, signingHeaders, stringToSign } from '../../source/cluster/signature-v2.js';

const keys = { accessKey: 'AKIAIOSFODNN7EXAMPLE', secretKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

test('object GET: the resource is /bucket/key, and the documented signature comes out', () => {
	const request = { method: 'GET', path: '/awsexamplebucket1/photos/puppy.jpg', headers: { Date: 'Tue, 27 Mar 2007 19:36:42 +0000' } };
	assert.equal(stringToSign(request), 'GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/awsexamplebucket1/photos/puppy.jpg');
	assert.equal(authorizationV2(keys, request), 'AWS AKIAIOSFODNN7EXAMPLE:qgk2+6Sv9/oM7G3qLEjTH1a1l1g=');
});

test('object PUT: Content-Type is signed, a missing Content-MD5 leaves its line empty', () => {
	const request = { method: 'PUT', path: '/awsexamplebucket1/photos/puppy.jpg', headers: { 'Content-Type': 'image/jpeg', 'Content-Length': '94328', Date: 'Tue, 27 Mar 2007 21:15:45 +0000' } };
	assert.equal(stringToSign(request), 'PUT\n\nimage/jpeg\nTue, 27 Mar 2007 21:15:45 +0000\n/awsexamplebucket1/photos/puppy.jpg');
});

test('list: prefix, max-keys and marker are not signed (nor list-type, which an old gateway ignores)', () => {
	const request = { method: 'GET', path: '/awsexamplebucket1/', query: { prefix: 'photos', 'max-keys': '50', marker: 'puppy', 'list-type': '2' }, headers: { 'User-Agent': 'Mozilla/5.0', Date: 'Tue, 27 Mar 2007 19:42:41 +0000' } };
	assert.equal(stringToSign(request), 'GET\n\n\nTue, 27 Mar 2007 19:42:41 +0000\n/awsexamplebucket1/');
});

test('a sub-resource without a value is signed bare (?acl)', () => {
	const request = { method: 'GET', path: '/awsexamplebucket1/', query: { acl: '' }, headers: { Date: 'Tue, 27 Mar 2007 19:44:46 +0000' } };
	assert.equal(stringToSign(request), 'GET\n\n\nTue, 27 Mar 2007 19:44:46 +0000\n/awsexamplebucket1/?acl');
});

test('upload with metadata: x-amz-* headers lower-cased, sorted, trimmed, repeated ones joined; other Content-* headers left out', () => {
	const request = {
		method: 'PUT',
		path: '/static.awsexamplebucket1.net/db-backup.dat.gz',
		headers: {
			'User-Agent': 'curl/7.15.5',
			Date: 'Tue, 27 Mar 2007 21:06:08 +0000',
			'x-amz-acl': 'public-read',
			'content-type': 'application/x-download',
			'Content-MD5': '4gJE4saaMU4BqNR0kLY+lw==',
			'X-Amz-Meta-ReviewedBy': ['joe@awsexamplebucket1.net', 'jane@awsexamplebucket1.net'],
			'X-Amz-Meta-FileChecksum': '0x02661779',
			'X-Amz-Meta-ChecksumAlgorithm': ' crc32 ',
			'Content-Disposition': 'attachment; filename=database.dat',
			'Content-Encoding': 'gzip',
			'Content-Length': '5913339',
		},
	};
	assert.equal(
		stringToSign(request),
		[
			'PUT',
			'4gJE4saaMU4BqNR0kLY+lw==',
			'application/x-download',
			'Tue, 27 Mar 2007 21:06:08 +0000',
			'x-amz-acl:public-read',
			'x-amz-meta-checksumalgorithm:crc32',
			'x-amz-meta-filechecksum:0x02661779',
			'x-amz-meta-reviewedby:joe@awsexamplebucket1.net,jane@awsexamplebucket1.net',
			'/static.awsexamplebucket1.net/db-backup.dat.gz',
		].join('\n'),
	);
});

test('list all my buckets: the resource is /', () => {
	const request = { method: 'GET', path: '/', headers: { Date: 'Wed, 28 Mar 2007 01:29:59 +0000' } };
	assert.equal(authorizationV2(keys, request), 'AWS AKIAIOSFODNN7EXAMPLE:qGdzdERIC03wnaRNKh6OqZehG9s=');
});

test('unicode keys: the escaped path is signed literally, escapes and case as sent', () => {
	const request = { method: 'GET', path: '/dictionary/fran%C3%A7ais/pr%c3%a9f%c3%a8re', headers: { Date: 'Wed, 28 Mar 2007 01:49:49 +0000' } };
	assert.equal(stringToSign(request), 'GET\n\n\nWed, 28 Mar 2007 01:49:49 +0000\n/dictionary/fran%C3%A7ais/pr%c3%a9f%c3%a8re');
	assert.equal(authorizationV2(keys, request), 'AWS AKIAIOSFODNN7EXAMPLE:DNEZGsoieTZ92F3bUfSPQcbGmlM=');
});

test('multipart sub-resources: uploads bare, partNumber and uploadId sorted with their raw values', () => {
	const date = 'Wed, 02 Dec 2026 00:00:00 GMT';
	assert.equal(stringToSign({ method: 'POST', path: '/registry/layer', query: { uploads: null }, headers: { date } }), `POST\n\n\n${date}\n/registry/layer?uploads`);
	assert.equal(
		stringToSign({ method: 'PUT', path: '/registry/a%20b', query: { uploadId: '2~x/y=z', partNumber: '3', 'x-id': 'UploadPart' }, headers: { date } }),
		`PUT\n\n\n${date}\n/registry/a%20b?partNumber=3&uploadId=2~x/y=z`,
	);
	assert.equal(stringToSign({ method: 'POST', path: '/registry/k', query: { uploadId: ['u1'] }, headers: { date, 'Content-Type': 'application/xml' } }), `POST\n\napplication/xml\n${date}\n/registry/k?uploadId=u1`);
});

test('x-amz-date, when given, is signed among the amz headers and the Date line stays empty', () => {
	const request = { method: 'DELETE', path: '/awsexamplebucket1/photos/puppy.jpg', headers: { Date: 'Tue, 27 Mar 2007 21:20:27 +0000', 'x-amz-date': 'Tue, 27 Mar 2007 21:20:26 +0000' } };
	assert.equal(stringToSign(request), 'DELETE\n\n\n\nx-amz-date:Tue, 27 Mar 2007 21:20:26 +0000\n/awsexamplebucket1/photos/puppy.jpg');
});

test('a request without a date gets one, and is signed over it', () => {
	const now = new Date(Date.UTC(2026, 11, 2, 0, 24, 38));
	const request = { method: 'GET', path: '/db_wal/', query: { marker: 'k' }, headers: { host: 'deis-store.example.com' } };
	const added = signingHeaders(keys, request, now);
	assert.equal(added.date, 'Wed, 02 Dec 2026 00:24:38 GMT');
	assert.equal(added.authorization, authorizationV2(keys, { ...request, headers: { ...request.headers, date: added.date } }));
	// A request that already carries its date keeps it.
	assert.deepEqual(Object.keys(signingHeaders(keys, { ...request, headers: { Date: added.date } }, now)), ['authorization']);
});
