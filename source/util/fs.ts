/**
 * File-system helpers every layer may need (the backup folder, known_hosts,
 * profiles): existence and `mkdir -p`.
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function exists(path: string): Promise<boolean> {
	try {
		await stat(path);
		return true;
	} catch {
		return false;
	}
}

/**
 * `mkdir -p`, one level at a time. Node's own recursive mkdir never returns
 * when the parent is a pseudo-filesystem that answers ENOENT to every mkdir
 * (`--out /proc/x` spins forever on Node 20); this fails at once instead.
 */
export async function makeDirectories(path: string, mode: number): Promise<void> {
	try {
		await mkdir(path, { mode });
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EEXIST') {
			if (!(await stat(path)).isDirectory()) throw error;
			return;
		}
		const parent = dirname(path);
		if (code !== 'ENOENT' || parent === path || (await exists(parent))) throw error;
		await makeDirectories(parent, mode);
		await mkdir(path, { mode });
	}
}
