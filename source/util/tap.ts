/**
 * A pass-through that sees every chunk (for hashing and progress) without
 * switching its source into flowing mode before a consumer is attached:
 * a bare 'data' listener would start the flow and drop the chunks that
 * arrive before the SSH channel or the HTTP request is ready.
 */
import { Transform } from 'node:stream';

export function tap(onChunk: (chunk: Buffer) => void): Transform {
	return new Transform({
		transform(chunk: Buffer, _encoding, callback) {
			onChunk(chunk);
			callback(null, chunk);
		},
	});
}
