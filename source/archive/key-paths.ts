/**
 * Where each object of a bucket lives in the backup folder.
 *
 * S3 keys are arbitrary strings; a filesystem path is not. A key maps to a
 * readable path when every segment is safe; otherwise (`..`, empty segments,
 * control characters, `%`, over-long names, a key that is also another key's
 * prefix) it is stored under `_keys/<sha256 of key>`. The manifest records
 * the exact key next to its path, so restores never depend on decoding names.
 */
import { createHash } from 'node:crypto';

export const FALLBACK_DIR = '_keys';
const MAX_SEGMENT_BYTES = 200;
// Reserved for our own temporary files and the fallback folder.
const UNSAFE_SEGMENT = /[\u0000-\u001f\u007f%\\]|^\.\.?$|^$|\.part-[0-9a-f]+$/;

function readablePath(key: string): string | undefined {
	const segments = key.split('/');
	if (segments[0] === FALLBACK_DIR) return undefined;
	for (const segment of segments) {
		if (UNSAFE_SEGMENT.test(segment) || Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) return undefined;
	}
	return key;
}

export function fallbackPath(key: string): string {
	return `${FALLBACK_DIR}/${createHash('sha256').update(key).digest('hex')}`;
}

/**
 * Paths for a whole listing at once, so a key that is a directory of another
 * key ("a" and "a/b") is moved aside deterministically before any download.
 */
export function planKeyPaths(keys: Iterable<string>): Map<string, string> {
	const paths = new Map<string, string>();
	const directories = new Set<string>();
	for (const key of keys) {
		const path = readablePath(key);
		paths.set(key, path ?? fallbackPath(key));
		if (path) {
			const segments = path.split('/');
			for (let i = 1; i < segments.length; i++) directories.add(segments.slice(0, i).join('/'));
		}
	}
	for (const [key, path] of paths) {
		if (directories.has(path)) paths.set(key, fallbackPath(key));
	}
	return paths;
}
