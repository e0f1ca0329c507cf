/**
 * AWS signature version 2, the only one a Deis v1 store gateway (radosgw up to
 * infernalis) accepts, for the tests' own S3 clients and hand-made requests.
 * Test-side only: the tool has its own signer, and these tests should not
 * prove the tool with the tool's code.
 */
import { createHmac } from 'node:crypto';
import type { HttpRequest } from '@smithy/types';
import type { GatewayKeys } from './s3.js';

/** Query parameters that are part of the signed resource (S3 developer guide, "Constructing the CanonicalizedResource Element"). */
const SUB_RESOURCES = new Set([
	'acl', 'cors', 'delete', 'lifecycle', 'location', 'logging', 'notification', 'partNumber', 'policy', 'requestPayment',
	'restore', 'tagging', 'torrent', 'uploadId', 'uploads', 'versionId', 'versioning', 'versions', 'website',
	'response-cache-control', 'response-content-disposition', 'response-content-encoding', 'response-content-language',
	'response-content-type', 'response-expires',
]);

/**
 * `path` is the request path as sent (percent-encoded, path-style
 * /bucket/key); `query` the decoded parameters. Returns the Authorization value.
 */
export function v2Authorization(
	keys: GatewayKeys,
	method: string,
	path: string,
	query: Record<string, string | null | undefined>,
	headers: Record<string, string>,
): string {
	const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
	const amz = [...lower.keys()]
		.filter((k) => k.startsWith('x-amz-'))
		.sort()
		.map((k) => `${k}:${(lower.get(k) ?? '').trim()}\n`)
		.join('');
	const sub = Object.keys(query)
		.filter((k) => SUB_RESOURCES.has(k))
		.sort()
		.map((k) => (query[k] === null || query[k] === undefined || query[k] === '' ? k : `${k}=${query[k]}`));
	const resource = `${path}${sub.length ? `?${sub.join('&')}` : ''}`;
	const date = lower.has('x-amz-date') ? '' : (lower.get('date') ?? '');
	const stringToSign = `${method}\n${lower.get('content-md5') ?? ''}\n${lower.get('content-type') ?? ''}\n${date}\n${amz}${resource}`;
	return `AWS ${keys.accessKey}:${createHmac('sha1', keys.secretKey).update(stringToSign, 'utf8').digest('base64')}`;
}

/** A signer for @aws-sdk/client-s3's `signer` option: v2 instead of the SDK's v4. */
export function v2Signer(keys: GatewayKeys): { sign(request: HttpRequest): Promise<HttpRequest> } {
	return {
		sign: async (request) => {
			request.headers['date'] = new Date().toUTCString();
			const query: Record<string, string | null> = {};
			for (const [k, v] of Object.entries(request.query ?? {})) query[k] = Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
			request.headers['authorization'] = v2Authorization(keys, request.method, request.path, query, request.headers);
			return request;
		},
	};
}
