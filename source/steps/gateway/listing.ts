import type { S3Client } from '@aws-sdk/client-s3';
import type { ObjectHttp } from '../../cluster/object-http.js';
import { explainS3Error } from './explain.js';
import { withRetries } from './retry.js';

export interface RemoteObject {
	key: string;
	size: number;
	etag?: string;
}

/** A bucket on the gateway, as the steps that only list and move objects (download) address it. */
export interface BucketAddress {
	http: ObjectHttp;
	/** The gateway's address, for error messages. */
	endpoint: string;
	bucket: string;
	signal?: AbortSignal;
}

/** A bucket and the S3 client, for the steps that also create buckets or upload in parts (upload, verify). */
export interface GatewayBucket extends BucketAddress {
	s3: S3Client;
}

/** listBucket, its failure said as one sentence an operator can act on. */
export async function listGatewayBucket(target: BucketAddress): Promise<RemoteObject[]> {
	try {
		return await listBucket(target.http, target.bucket, target.signal);
	} catch (error) {
		throw explainS3Error(error, target.endpoint, target.bucket, target.signal);
	}
}

/**
 * One pass over the bucket, 1,000 keys a page: no per-object HEADs.
 *
 * ListObjects v1, paged by marker: a Deis v1 gateway (radosgw before 2019)
 * has no ListObjectsV2, ignores `list-type=2` and answers a v1 listing that
 * never carries a continuation token. Paging on a token there would stop
 * after the first 1,000 keys and call the bucket whole.
 */
export async function listBucket(http: ObjectHttp, bucket: string, signal?: AbortSignal): Promise<RemoteObject[]> {
	const objects: RemoteObject[] = [];
	let marker: string | undefined;
	for (;;) {
		const from = marker;
		// A page that fails or is cut short mid-body is asked for again.
		const page = await withRetries(() => http.list(bucket, from, signal), { signal });
		for (const object of page.objects) objects.push(object);
		if (!page.truncated) return objects;
		marker = nextMarker(page.nextMarker, page.objects.at(-1)?.key, from);
		if (marker === undefined) throw new TruncatedListing(bucket, objects.length);
	}
}

/**
 * Where the next page starts: NextMarker when the gateway gives it (only with
 * a delimiter, by the S3 spec), else the page's last key. None, or one that
 * would ask for the same page again, means the listing cannot go on.
 */
export function nextMarker(given: string | undefined, lastKey: string | undefined, previous: string | undefined): string | undefined {
	const next = given || lastKey;
	return next === undefined || next === previous ? undefined : next;
}

/** The gateway said the listing goes on but gave no way to ask for the rest. */
export class TruncatedListing extends Error {
	constructor(
		readonly bucket: string,
		readonly listed: number,
	) {
		super(`the gateway cut the listing of ${bucket} short after ${listed} objects and gave no marker to continue from`);
		this.name = 'TruncatedListing';
	}
}

/** A single-part upload's ETag is the hex MD5 of its content; multipart ones end in -<parts>. */
export function isSinglePartEtag(etag: string | undefined): etag is string {
	return etag !== undefined && /^[0-9a-f]{32}$/i.test(etag);
}

/** Both single-part ETags, and equal: the two objects hold the same bytes (same MD5). */
export function sameSinglePartEtag(a: string | undefined, b: string | undefined): boolean {
	return isSinglePartEtag(a) && isSinglePartEtag(b) && a.toLowerCase() === b.toLowerCase();
}
