import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../source/cluster/object-http.js';
import { explainS3Error } from '../../source/steps/gateway/explain.js';

const endpoint = 'http://deis-store.example.com';

test("a 404 without an S3 error code is something else answering, not the gateway: the sentence says to check the gateway's address", () => {
	const error = explainS3Error(new GatewayError(404, undefined, undefined), endpoint, 'db_wal');
	assert.match(error.message, /^Nothing at http:\/\/deis-store\.example\.com answers as a store gateway \(HTTP 404\); check --domain or --store-endpoint\.$/);
});

test("the gateway's own NoSuchBucket names the bucket", () => {
	const error = explainS3Error(new GatewayError(404, 'NoSuchBucket', 'The specified bucket does not exist'), endpoint, 'db_wal');
	assert.match(error.message, /^The bucket db_wal at http:\/\/deis-store\.example\.com does not exist;/);
});

test('refused keys and a v4 signature refused by a Deis v1 gateway each get their own sentence', () => {
	assert.match(explainS3Error(new GatewayError(403, 'InvalidAccessKeyId', undefined), endpoint).message, /rejected the gateway keys \(HTTP 403\)/);
	assert.match(explainS3Error(new GatewayError(400, 'InvalidArgument', undefined), endpoint).message, /run without --signature-version 4\.$/);
});
