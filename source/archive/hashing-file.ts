/**
 * A write stream that hashes and counts what passes through on its way to
 * a temporary file, renamed into place only by `commit()` once the caller has
 * checked the stream was complete.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { syncDirectory, temporarySibling } from '../util/atomic.js';
import { basename, dirname } from 'node:path';
import { pausePoint } from '../util/pause-point.js';

const TAIL_BYTES = 256;

export class HashingFile extends Writable {
	readonly temporary: string;
	private readonly file;
	private readonly hash = createHash('sha256');
	bytes = 0;
	/** The last bytes written, for format trailers (pg_dumpall's closing line). */
	tail = Buffer.alloc(0);

	constructor(
		readonly target: string,
		private readonly onBytes?: (total: number) => void,
	) {
		super();
		this.temporary = temporarySibling(target);
		this.file = createWriteStream(this.temporary, { mode: 0o600 });
		this.file.on('error', (error) => this.destroy(error));
		// A write error (a full disk) is kept for finish() to throw; left unheard, the
		// 'error' event would kill the process before the caller could explain it.
		this.on('error', (error: Error) => {
			this.failure ??= error;
		});
	}

	/** The first write error, if any. */
	failure?: Error;

	override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
		pausePoint(`streaming ${basename(this.target)}`);
		this.hash.update(chunk);
		this.bytes += chunk.length;
		this.tail = Buffer.concat([this.tail, chunk.subarray(-TAIL_BYTES)]).subarray(-TAIL_BYTES);
		this.onBytes?.(this.bytes);
		this.file.write(chunk, callback);
	}

	override _final(callback: (error?: Error | null) => void): void {
		this.file.end(callback);
	}

	/** Ends the stream and waits until every byte is on disk. */
	async finish(): Promise<void> {
		if (this.failure) throw this.failure;
		if (!this.writableFinished) {
			await new Promise<void>((resolve, reject) => {
				this.once('finish', resolve);
				this.once('error', reject);
				this.end();
			});
		}
		await new Promise<void>((resolve) => (this.file.closed ? resolve() : this.file.once('close', () => resolve())));
		if (this.failure) throw this.failure;
	}

	digest(): string {
		return this.hash.digest('hex');
	}

	async commit(): Promise<void> {
		await rename(this.temporary, this.target);
		pausePoint(`committed ${basename(this.target)}`);
		await syncDirectory(dirname(this.target));
	}

	async discard(): Promise<void> {
		this.destroy();
		await rm(this.temporary, { force: true });
	}
}
