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
export async function listGatewayBucket(target: BucketAddress, onPage?: PageHandler, expected?: readonly string[]): Promise<RemoteObject[]> {
	try {
		if (expected && expected.length > RANGE_MIN_KEYS) {
			const listed = await listRanges(target.http, target.bucket, expected, target.signal, onPage);
			if (listed) return listed;
		}
		return await listBucket(target.http, target.bucket, target.signal, onPage);
	} catch (error) {
		throw explainS3Error(error, target.endpoint, target.bucket, target.signal);
	}
}

/**
 * Takes each page's objects as they come, while the gateway works on more;
 * must not throw. A key may be handed twice (a ranged listing that falls back
 * to one pass starts over), so what it does must bear repeating.
 */
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
export function listBucket(http: ObjectHttp, bucket: string, signal?: AbortSignal, onPage?: PageHandler): Promise<RemoteObject[]> {
	return listFrom(http, bucket, { checkOrder: false }, signal, onPage);
}

/** Below this many expected keys, one listing in order is as fast. */
const RANGE_MIN_KEYS = 2_000;
/** Ranges listed at once: two already use both cores of a gateway host, more add little. */
const LIST_RANGES = 4;
const PAGE_KEYS = 1_000;

/**
 * The listing in ranges, listed at once: where the keys of the last backup
 * (`expected`, in listing order) fall, the bucket is cut into ranges whose
 * first markers are known, so the pages of a 10,000-key bucket need not come
 * one after another (355 → 220 ms on the test cluster's gateway, which uses a
 * second core for the second listing). Each range starts after its marker and
 * ends at the next range's: a key added since is found by the range it falls
 * in, a key deleted since, even a marker, is simply not listed.
 *
 * The cuts rely on the gateway listing in S3's order (UTF-8 binary), checked
 * on every page: a gateway that lists otherwise gets undefined, and the caller
 * lists it in one pass instead.
 */
export async function listRanges(http: ObjectHttp, bucket: string, expected: readonly string[], signal?: AbortSignal, onPage?: PageHandler): Promise<RemoteObject[] | undefined> {
	const pages = Math.ceil(expected.length / PAGE_KEYS);
	const pagesPerRange = Math.ceil(pages / LIST_RANGES);
	const markers: Array<string | undefined> = [undefined];
	for (let page = pagesPerRange; page < pages; page += pagesPerRange) markers.push(expected[page * PAGE_KEYS - 1]);
	for (let i = 1; i < markers.length; i++) if (compareKeys(markers[i - 1] ?? '', markers[i] as string) >= 0) return undefined;
	signal?.throwIfAborted();
	const controller = new AbortController();
	const abort = () => controller.abort();
	signal?.addEventListener('abort', abort, { once: true });
	try {
		const ranges = await Promise.all(markers.map((from, i) => listFrom(http, bucket, { from, end: markers[i + 1], checkOrder: true }, controller.signal, onPage)));
		return ranges.flat();
	} catch (error) {
		// One range's failure stops the others: nothing is left listing behind a failed run.
		controller.abort();
		if (error instanceof OutOfOrder && !signal?.aborted) return undefined;
		throw error;
	} finally {
		signal?.removeEventListener('abort', abort);
	}
}

/**
 * The keys after `from` up to and including `end` (from the bucket's start,
 * to its end, without them), page after page, each asked for before the
 * caller sees the one before. `checkOrder`: a page out of S3's order (or not
 * after its marker) throws OutOfOrder, for ranges that must meet.
 */
async function listFrom(http: ObjectHttp, bucket: string, range: { from?: string; end?: string; checkOrder: boolean }, signal?: AbortSignal, onPage?: PageHandler): Promise<RemoteObject[]> {
	const { end, checkOrder } = range;
	const objects: RemoteObject[] = [];
	// A page that fails or is cut short mid-body is asked for again.
	const ask = (from: string | undefined) => withRetries(() => http.list(bucket, from, signal), { signal });
	let marker = range.from;
	let asked = ask(marker);
	for (;;) {
		const page = await asked;
		let previous = marker;
		let kept = page.objects.length;
		for (let i = 0; i < page.objects.length && (checkOrder || end !== undefined); i++) {
			const key = (page.objects[i] as RemoteObject).key;
			if (checkOrder && previous !== undefined && compareKeys(previous, key) >= 0) throw new OutOfOrder();
			previous = key;
			if (end !== undefined && kept === page.objects.length && compareKeys(key, end) > 0) kept = i;
		}
		const taken = kept === page.objects.length ? page.objects : page.objects.slice(0, kept);
		for (const object of taken) objects.push(object);
		let more = page.truncated && kept === page.objects.length;
		if (more) {
			const next = nextMarker(page.nextMarker, page.objects.at(-1)?.key, marker);
			if (next === undefined) throw new TruncatedListing(bucket, objects.length);
			more = end === undefined || compareKeys(next, end) < 0;
			if (more) {
				marker = next;
				asked = ask(next);
				// Awaited on the next turn; marked handled now in case onPage throws before that.
				asked.catch(() => undefined);
			}
		}
		onPage?.(taken);
		if (!more) return objects;
	}
}

/** The gateway listed keys out of S3's order: its ranges cannot be trusted to meet. */
class OutOfOrder extends Error {}

/**
 * S3's listing order, UTF-8 binary, which is code point order. JavaScript's
 * `<` compares UTF-16 units, which differs where a surrogate pair (above
 * U+FFFF) meets U+E000-U+FFFF; those units are remapped so the order is the
 * code points'.
 */
export function compareKeys(a: string, b: string): number {
	const length = Math.min(a.length, b.length);
	for (let i = 0; i < length; i++) {
		const x = a.charCodeAt(i);
		const y = b.charCodeAt(i);
		if (x !== y) return codePointRank(x) - codePointRank(y);
	}
	return a.length - b.length;
}

function codePointRank(unit: number): number {
	if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
	if (unit >= 0xe000) return unit - 0x800;
	return unit;
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
