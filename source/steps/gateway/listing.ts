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

/** A bucket and the S3 client, for the upload, whose large objects go up in parts. */
export interface GatewayBucket extends BucketAddress {
	/** Built on first use: loading it costs ~0.1 s of CPU that a restore of small objects never pays. */
	s3: () => Promise<S3Client>;
}

/** listBucket, its failure said as one sentence an operator can act on. */
export async function listGatewayBucket(target: BucketAddress, onPage?: PageHandler): Promise<RemoteObject[]> {
	try {
		return await listBucket(target.http, target.bucket, target.signal, onPage);
	} catch (error) {
		throw explainS3Error(error, target.endpoint, target.bucket, target.signal);
	}
}

/** Takes each page's objects as they come, while the next page is on its way; must not throw. */
export type PageHandler = (objects: readonly RemoteObject[]) => void;

/**
 * One pass over the bucket, 1,000 keys a page: no per-object HEADs.
 *
 * ListObjects v1, paged by marker: a Deis v1 gateway (radosgw before 2019)
 * has no ListObjectsV2, ignores `list-type=2` and answers a v1 listing that
 * never carries a continuation token. Paging on a token there would stop
 * after the first 1,000 keys and call the bucket whole.
 *
 * The next page is asked for before `onPage` sees this one, so the caller's
 * work on a page (a re-sync's stat of every saved file) overlaps the
 * gateway's on the next.
 */
export async function listBucket(http: ObjectHttp, bucket: string, signal?: AbortSignal, onPage?: PageHandler): Promise<RemoteObject[]> {
	const objects: RemoteObject[] = [];
	// A page that fails or is cut short mid-body is asked for again.
	const ask = (from: string | undefined) => withRetries(() => http.list(bucket, from, signal), { signal });
	let marker: string | undefined;
	let asked = ask(marker);
	for (;;) {
		const page = await asked;
		for (const object of page.objects) objects.push(object);
		if (page.truncated) {
			const from = nextMarker(page.nextMarker, page.objects.at(-1)?.key, marker);
			if (from === undefined) throw new TruncatedListing(bucket, objects.length);
			marker = from;
			asked = ask(from);
			// Awaited on the next turn; marked handled now in case onPage throws before that.
			asked.catch(() => undefined);
		}
		onPage?.(page.objects);
		if (!page.truncated) return objects;
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
