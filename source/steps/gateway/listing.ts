import type { S3Client } from '@aws-sdk/client-s3';
import { loadS3Sdk } from '../../cluster/s3-sdk.js';
import { explainS3Error } from './explain.js';
import { withRetries } from './retry.js';

export interface RemoteObject {
	key: string;
	size: number;
	etag?: string;
}

/** A bucket on the gateway, as the bucket steps (download, upload, verify) address it. */
export interface GatewayBucket {
	s3: S3Client;
	/** The gateway's address, for error messages. */
	endpoint: string;
	bucket: string;
	signal?: AbortSignal;
}

/** listBucket, its failure said as one sentence an operator can act on. */
export async function listGatewayBucket(target: GatewayBucket): Promise<RemoteObject[]> {
	try {
		return await listBucket(target.s3, target.bucket, target.signal);
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
export async function listBucket(s3: S3Client, bucket: string, signal?: AbortSignal): Promise<RemoteObject[]> {
	const { ListObjectsCommand } = await loadS3Sdk();
	const objects: RemoteObject[] = [];
	let marker: string | undefined;
	for (;;) {
		const from = marker;
		// A page cut short mid-body is asked for again (the SDK only retries failures before the answer).
		const page = await withRetries(() => s3.send(new ListObjectsCommand({ Bucket: bucket, Marker: from, MaxKeys: 1000 }), { abortSignal: signal }), { signal });
		for (const item of page.Contents ?? []) {
			if (item.Key === undefined) continue;
			objects.push({ key: item.Key, size: item.Size ?? 0, etag: item.ETag?.replaceAll('"', '') });
		}
		if (!page.IsTruncated) return objects;
		marker = nextMarker(page.NextMarker, page.Contents?.at(-1)?.Key, from);
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
