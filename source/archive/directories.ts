/**
 * Creates each directory of a backup folder once (0700), however many objects
 * land in it: thousands of objects share a handful of prefixes.
 */
import { mkdir } from 'node:fs/promises';

export class Directories {
	private readonly made = new Map<string, Promise<unknown>>();

	ensure(path: string): Promise<unknown> {
		let pending = this.made.get(path);
		if (!pending) {
			pending = mkdir(path, { recursive: true, mode: 0o700 });
			// A failure (a full disk) is not remembered: the next object tries again.
			pending.catch(() => this.made.delete(path));
			this.made.set(path, pending);
		}
		return pending;
	}
}
