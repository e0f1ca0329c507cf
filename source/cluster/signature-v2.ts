/**
 * AWS signature version 2 (HMAC-SHA1 over a short string), the only scheme a
 * Deis v1 store gateway knows: Ceph radosgw before Jewel answers any
 * `AWS4-HMAC-SHA256` request with 400 InvalidArgument.
 *
 * No maintained npm package signs S3 v2, and the scheme is small: the string
 * to sign is the method, Content-MD5, Content-Type, Date, the x-amz-* headers
 * and the resource with its signed sub-resources ("Signing and authenticating
 * REST requests", Amazon S3 developer guide).
 */
import { createHmac } from 'node:crypto';

export interface SigningKeys {
	accessKey: string;
	secretKey: string;
}

export type QueryValue = string | null | undefined | readonly string[];

export interface RequestToSign {
	method: string;
	/** The path exactly as sent (already URI-escaped, path-style: /bucket/key), without the query. */
	path: string;
	query?: Readonly<Record<string, QueryValue>>;
	headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

/**
 * Query parameters that name a sub-resource and so are signed; the rest
 * (prefix, marker, max-keys, list-type…) are not. Amazon's list plus the
 * ones radosgw adds.
 */
const SIGNED_SUBRESOURCES = new Set([
	'acl',
	'cors',
	'delete',
	'lifecycle',
	'location',
	'logging',
	'notification',
	'partNumber',
	'policy',
	'requestPayment',
	'response-cache-control',
	'response-content-disposition',
	'response-content-encoding',
	'response-content-language',
	'response-content-type',
	'response-expires',
	'restore',
	'tagging',
	'torrent',
	'uploadId',
	'uploads',
	'versionId',
	'versioning',
	'versions',
	'website',
]);

/** Whether a query parameter is signed (a sub-resource). */
export function isSubresource(name: string): boolean {
	return SIGNED_SUBRESOURCES.has(name);
}

export function stringToSign(request: RequestToSign): string {
	const headers = lowerCased(request.headers);
	// The Date line is empty only when x-amz-date is given, which then is signed among the amz headers.
	const date = headers.get('x-amz-date') !== undefined ? '' : (headers.get('date') ?? '');
	return [request.method.toUpperCase(), headers.get('content-md5') ?? '', headers.get('content-type') ?? '', date, `${amzHeaders(headers)}${canonicalResource(request)}`].join('\n');
}

/** The Authorization header's value: `AWS <access key>:<base64 HMAC-SHA1>`. */
export function authorizationV2(keys: SigningKeys, request: RequestToSign): string {
	const signature = createHmac('sha1', keys.secretKey).update(stringToSign(request), 'utf8').digest('base64');
	return `AWS ${keys.accessKey}:${signature}`;
}

/** The headers a request needs to be accepted: a Date (when it has none) and the Authorization. */
export function signingHeaders(keys: SigningKeys, request: RequestToSign, now: Date = new Date()): { date?: string; authorization: string } {
	const has = lowerCased(request.headers);
	if (has.get('date') !== undefined || has.get('x-amz-date') !== undefined) return { authorization: authorizationV2(keys, request) };
	const date = now.toUTCString();
	return { date, authorization: authorizationV2(keys, { ...request, headers: { ...request.headers, date } }) };
}

function lowerCased(headers: RequestToSign['headers']): Map<string, string> {
	const map = new Map<string, string>();
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		const lower = name.toLowerCase();
		const joined = (typeof value === 'string' ? [value] : value).map(trimHeaderValue).join(',');
		// Repeated names (differently cased keys) join as the scheme joins repeated headers.
		const before = map.get(lower);
		map.set(lower, before === undefined ? joined : `${before},${joined}`);
	}
	return map;
}

/** Folded lines unfolded, and whitespace around the value dropped. */
function trimHeaderValue(value: string): string {
	return value.replace(/\s*\r?\n\s*/g, ' ').trim();
}

function amzHeaders(headers: Map<string, string>): string {
	return [...headers]
		.filter(([name]) => name.startsWith('x-amz-'))
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
		.map(([name, value]) => `${name}:${value}\n`)
		.join('');
}

function canonicalResource(request: RequestToSign): string {
	const signed = Object.entries(request.query ?? {})
		.filter(([name]) => SIGNED_SUBRESOURCES.has(name))
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
		.map(([name, value]) => {
			const single = Array.isArray(value) ? value[0] : (value as string | null | undefined);
			// Values are signed as they are, not URI-escaped; a bare `?uploads` has none.
			return single === undefined || single === null || single === '' ? name : `${name}=${single}`;
		});
	return signed.length ? `${request.path}?${signed.join('&')}` : request.path;
}
