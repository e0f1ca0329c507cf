/**
 * A file (or a range of it) as a request body written from two reused
 * buffers that take turns: one is read into while the other is being sent.
 * No stream and no Buffer per read, so a gigabyte costs no garbage; the
 * caller sees every chunk (for hashing and progress) before it is sent.
 * Reads are synchronous: a page-cache read of a chunk costs less than handing
 * it to the thread pool (as with the downloads' writes, see download.ts).
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** The file ended before the range did: it is not what the manifest describes. */
export class ShortFile extends Error {
	constructor(path: string, missing: number) {
		super(`${path} ended ${missing} bytes before the size in manifest.json`);
		this.name = 'ShortFile';
	}
}

export interface FileRange {
	start: number;
	length: number;
	/** Bytes read at a time. */
	chunkBytes: number;
}

/** Writes the range through `send`, which resolves once the connection has taken a chunk (its buffer is then read into again). */
export function fileBody(path: string, range: FileRange, onChunk: (chunk: Buffer) => void): (send: (data: Buffer) => Promise<void>) => Promise<void> {
	return async (send) => {
		const fd = openSync(path, 'r');
		try {
			const buffers = [Buffer.allocUnsafe(range.chunkBytes), Buffer.allocUnsafe(range.chunkBytes)];
			let sending: Promise<void> = Promise.resolve();
			for (let done = 0, turn = 0; done < range.length; turn ^= 1) {
				// This buffer's previous send was awaited before the other buffer's started.
				const buffer = buffers[turn] as Buffer;
				const bytesRead = readSync(fd, buffer, 0, Math.min(buffer.length, range.length - done), range.start + done);
				if (bytesRead === 0) throw new ShortFile(path, range.length - done);
				const chunk = buffer.subarray(0, bytesRead);
				onChunk(chunk);
				await sending;
				sending = send(chunk);
				// Awaited on the next turn; a failure meanwhile must not count as unhandled.
				sending.catch(() => undefined);
				done += bytesRead;
			}
			await sending;
		} finally {
			closeSync(fd);
		}
	};
}
