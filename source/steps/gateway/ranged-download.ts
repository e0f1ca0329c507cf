/**
 * One large object fetched as several ranged GETs at once, each written at
 * its own offset of the temporary file: a single stream from the gateway is
 * slower than a few, and on one large object a single stream is all a plain
 * GET gets. The sha256 is taken in order by reading back the contiguous prefix
 * of finished ranges from the file (what is hashed is what is on disk; memory
 * stays at one read buffer however the ranges finish). A range that breaks is
 * fetched again alone. Every range must come from the same object: the same
 * total size and the same ETag, or the object changed during the download.
 */
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import type { ObjectHttp } from '../../cluster/object-http.js';
import { runPool } from '../../util/pool.js';
import type { StreamSlots } from '../../util/slots.js';
import { ShortTransfer, withRetriedProgress } from './retry.js';

/** Bytes per ranged GET: large enough that a request's round trip is noise, small enough to spread one object over several streams. */
export const RANGE_BYTES = 8 * 1024 * 1024;
/** Objects above this size are fetched in ranges; smaller ones in one GET. */
export const RANGED_MIN_BYTES = 2 * RANGE_BYTES;
/** Ranges of one object in flight at once. */
const RANGES_PER_OBJECT = 4;
/** Network chunks (16-64 KB) gathered into one positional write: far fewer system calls. */
const WRITE_BATCH_BYTES = 512 * 1024;
/** Read-back size for the in-order hash. */
const HASH_READ_BYTES = 256 * 1024;

/** The gateway answered a ranged GET with the whole object (200): it does not serve ranges. */
export class RangesIgnored extends Error {
	constructor() {
		super('the gateway ignores Range requests');
		this.name = 'RangesIgnored';
	}
}

export interface RangedDownload {
	http: ObjectHttp;
	bucket: string;
	key: string;
	/** The listing's size: every range must report this total. */
	size: number;
	/** The temporary file receiving the object (created here, mode 0600). */
	path: string;
	slots: StreamSlots;
	onBytes: (delta: number) => void;
	signal?: AbortSignal;
}

export async function downloadRanged(download: RangedDownload): Promise<{ sha256: string; etag?: string }> {
	const { size } = download;
	const count = Math.ceil(size / RANGE_BYTES);
	const handle = await open(download.path, 'w+', 0o600);
	try {
		const finished: boolean[] = new Array<boolean>(count).fill(false);
		const hash = createHash('sha256');
		const readBuffer = Buffer.allocUnsafe(HASH_READ_BYTES);
		let hashed = 0;
		let hashing: Promise<void> = Promise.resolve();
		// One pass at a time walks the contiguous prefix of finished ranges.
		const advance = () => {
			hashing = hashing.then(async () => {
				while (hashed < count && finished[hashed]) {
					const start = hashed * RANGE_BYTES;
					const end = Math.min(size, start + RANGE_BYTES);
					for (let at = start; at < end; ) {
						const { bytesRead } = await handle.read(readBuffer, 0, Math.min(HASH_READ_BYTES, end - at), at);
						if (bytesRead === 0) throw new ShortTransfer(`${download.bucket}/${download.key} is shorter on disk than was written`);
						hash.update(readBuffer.subarray(0, bytesRead));
						at += bytesRead;
					}
					hashed++;
				}
			});
			return hashing;
		};
		let etag: string | undefined;
		const sameObject = (seen: string | undefined) => {
			etag ??= seen;
			if (seen !== etag) throw new ShortTransfer(`${download.bucket}/${download.key} changed on the gateway during the download (ETag ${seen} after ${etag})`);
		};
		const indices = Array.from({ length: count }, (_, index) => index);
		await runPool(
			indices,
			RANGES_PER_OBJECT,
			async (index) => {
				await download.slots.run(() => withRetriedProgress((counted) => fetchRange(download, handle, index, sameObject, counted), download.onBytes, { signal: download.signal }));
				finished[index] = true;
				await advance();
			},
			download.signal,
		);
		await hashing;
		if (hashed !== count) throw new ShortTransfer(`${download.bucket}/${download.key}: only ${hashed} of ${count} ranges were hashed`);
		return { sha256: hash.digest('hex'), etag };
	} finally {
		await handle.close();
	}
}

async function fetchRange(download: RangedDownload, handle: FileHandle, index: number, sameObject: (etag: string | undefined) => void, onBytes: (delta: number) => void): Promise<void> {
	const start = index * RANGE_BYTES;
	const end = Math.min(download.size, start + RANGE_BYTES) - 1;
	const response = await download.http.get(download.bucket, download.key, download.signal, { start, end });
	const body = response.body;
	try {
		if (response.status !== 206) throw new RangesIgnored();
		const total = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.contentRange ?? '');
		if (!total || Number(total[1]) !== start || Number(total[2]) !== end) throw new ShortTransfer(`the gateway sent ${response.contentRange ?? 'no Content-Range'} for bytes ${start}-${end} of ${download.bucket}/${download.key}`);
		if (Number(total[3]) !== download.size) throw new ShortTransfer(`the gateway holds ${total[3]} bytes of ${download.bucket}/${download.key} where the listing says ${download.size}`);
		sameObject(response.etag);
		let position = start;
		let batch: Buffer[] = [];
		let batchBytes = 0;
		let writing: Promise<unknown> = Promise.resolve();
		const flush = async () => {
			const buffers = batch;
			const at = position;
			position += batchBytes;
			batch = [];
			batchBytes = 0;
			await writing;
			writing = writeAllAt(handle, buffers, at);
			// A failed write (a full disk) must not go unnoticed until the end.
			writing.catch(() => undefined);
		};
		let received = 0;
		for await (const chunk of body) {
			const data = chunk as Buffer;
			received += data.length;
			if (received > end - start + 1) throw new ShortTransfer(`the gateway sent more than bytes ${start}-${end} of ${download.bucket}/${download.key}`);
			onBytes(data.length);
			batch.push(data);
			batchBytes += data.length;
			if (batchBytes >= WRITE_BATCH_BYTES) await flush();
		}
		if (batchBytes > 0) await flush();
		await writing;
		if (received !== end - start + 1) throw new ShortTransfer(`the gateway sent ${received} of bytes ${start}-${end} of ${download.bucket}/${download.key}`);
	} finally {
		body.destroy();
	}
}

/** writev may write less than asked (it does not loop as write streams do). */
async function writeAllAt(handle: FileHandle, buffers: Buffer[], position: number): Promise<void> {
	const total = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
	const { bytesWritten } = await handle.writev(buffers, position);
	if (bytesWritten === total) return;
	const rest = Buffer.concat(buffers).subarray(bytesWritten);
	for (let offset = 0; offset < rest.length; ) offset += (await handle.write(rest, offset, rest.length - offset, position + bytesWritten + offset)).bytesWritten;
}
