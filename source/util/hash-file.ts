import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** A file's digest in hex, read in large chunks (hashing, not the read calls, should be the cost). */
export async function hashFile(path: string, algorithm: 'sha256' | 'md5', signal?: AbortSignal): Promise<string> {
	const hash = createHash(algorithm);
	for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024, signal })) hash.update(chunk as Buffer);
	return hash.digest('hex');
}
