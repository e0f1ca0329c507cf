/**
 * Key-file paths as typed in a terminal: `~/…` expanded and shown short,
 * and the check that the file can be read.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';

export function expandHome(path: string, home: string): string {
	if (path === '~') return home;
	if (path.startsWith('~/')) return join(home, path.slice(2));
	return path;
}

/** The reverse of expandHome, for showing paths short. */
export function tildify(path: string, home: string): string {
	if (home && (path === home || path.startsWith(`${home}/`))) return `~${path.slice(home.length)}`;
	return path;
}

/** The default key check: the file exists, is a file, and this user can read it. */
export async function checkReadableFile(path: string): Promise<string | undefined> {
	try {
		const info = await stat(path);
		if (!info.isFile()) return `${path} is a folder, not a key file.`;
		await access(path, constants.R_OK);
		return undefined;
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') return `There is no file at ${path}.`;
		if (code === 'EACCES') return `${path} cannot be read by this user (permission denied).`;
		return `${path} cannot be read: ${(error as Error).message}.`;
	}
}
