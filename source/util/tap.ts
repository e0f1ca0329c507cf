/**
 * A pass-through that sees every chunk (for hashing and progress) without
 * switching its source into flowing mode before a consumer is attached:
 * a bare 'data' listener would start the flow and drop the chunks that
 * arrive before the SSH channel or the HTTP request is ready.
 */
import { createReadStream } from 'node:fs';
import { pipeline, Transform, type Readable } from 'node:stream';

export function tap(onChunk: (chunk: Buffer) => void): Transform {
	return new Transform({
		transform(chunk: Buffer, _encoding, callback) {
			onChunk(chunk);
			callback(null, chunk);
		},
	});
}

/**
 * A file (or a range of it) as a request body that sees every chunk. A read
 * error (the file vanished) fails the body, so the upload stops with it rather
 * than waiting for bytes that never come; destroying the body closes the file.
 */
export function tappedFile(path: string, range: { start?: number; end?: number; highWaterMark?: number }, onChunk: (chunk: Buffer) => void): Readable {
	// The error reaches whoever reads the body: pipeline destroys every stream with it.
	return pipeline(createReadStream(path, range), tap(onChunk), () => undefined);
}
