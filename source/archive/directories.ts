/**
 * Creates each directory of a backup folder once (0700), however many objects
 * land in it: thousands of objects share a handful of prefixes. Synchronous,
 * as are the small files written into them (see download.ts).
 */
import { mkdirSync } from 'node:fs';

export class Directories {
	private readonly made = new Set<string>();

	ensure(path: string): void {
		if (this.made.has(path)) return;
		// A failure (a full disk) throws and is not remembered: the next object tries again.
		mkdirSync(path, { recursive: true, mode: 0o700 });
		this.made.add(path);
	}
}
