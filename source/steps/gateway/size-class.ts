/**
 * How an object travels, by size, in both directions: small ones whole in
 * memory, larger ones streamed, and (uploading) the largest in parts. One rule,
 * so that the pools that schedule objects and the code that moves them agree.
 */

/** Objects up to this size are held in memory between the gateway and the disk. */
export const IN_MEMORY_BYTES = 1024 * 1024;

export type SizeClass = 'small' | 'streamed' | 'parts';

/**
 * The largest part of an object uploaded in parts, whatever the router's limit
 * allows: more parts of one object stream at once, and a failed part costs
 * less to send again. (Objects under the limit still go whole: splitting them
 * too cost a second read of the file for its hash and more CPU than it saved.)
 */
export const SPLIT_BYTES = 16 * 1024 * 1024;

/**
 * The part size under a router body limit: objects up to it go up whole,
 * larger ones in parts. Nginx refuses only a body over its limit, so 90 % of
 * it leaves room enough; whole PUTs up to 64 MiB, since a part of its own
 * costs an S3 client, create and complete requests and a second read of the
 * file for its hash; never under S3's 5 MiB minimum part.
 */
export function partSizeUnder(limitBytes: number): number {
	const mib = 1024 * 1024;
	return Math.max(5 * mib, Math.min(64 * mib, Math.floor(limitBytes * 0.9)));
}

/** Without a part size (downloading), nothing goes in parts. */
export function sizeClass(size: number, partSize?: number): SizeClass {
	if (size <= IN_MEMORY_BYTES) return 'small';
	if (partSize === undefined) return 'streamed';
	return size <= partSize ? 'streamed' : 'parts';
}

/**
 * The part size for one object in parts: parts of at most SPLIT_BYTES (and
 * never above the router's limit's part size), evened out over the object so
 * the last part is not a sliver, in whole MiB.
 */
export function partSizeFor(size: number, partSize: number): number {
	const most = Math.min(partSize, SPLIT_BYTES);
	const count = Math.ceil(size / most);
	const mib = 1024 * 1024;
	// S3 refuses parts under 5 MiB but the last: evening out never goes below that.
	return Math.min(most, Math.max(5 * mib, Math.ceil(size / count / mib) * mib));
}

export function bySizeClass<T extends { size: number }>(items: readonly T[], partSize?: number): Record<SizeClass, T[]> {
	const classes: Record<SizeClass, T[]> = { small: [], streamed: [], parts: [] };
	for (const item of items) classes[sizeClass(item.size, partSize)].push(item);
	return classes;
}

/**
 * Read size of a file streaming into an upload (util/file-body.ts reads into
 * two buffers of this size per stream and reuses them). When each read was a
 * new Buffer, 256 KiB reads pushed peak RSS over the target (152 MB) and 128
 * KiB won; with reused buffers, paired (b) uploads: 128 KiB 4.65 s / CPU 2.37
 * s, 256 KiB 4.56 s / 2.20 s, both 126 MB.
 */
export const READ_CHUNK_BYTES = 256 * 1024;
