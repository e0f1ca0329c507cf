/**
 * Files become visible under their final name only when complete: written to
 * a temporary sibling, flushed, then renamed. A crash leaves a `.part-*` file
 * that no reader takes for good.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export function temporarySibling(path: string): string {
	return join(dirname(path), `.${basename(path)}.part-${randomBytes(4).toString('hex')}`);
}

export async function writeFileAtomic(path: string, data: string | Buffer, mode = 0o600): Promise<void> {
	const temporary = temporarySibling(path);
	const handle = await open(temporary, 'w', mode);
	try {
		await handle.writeFile(data);
		await handle.sync();
	} catch (error) {
		// A half-written temporary (a full disk) is removed, not left to take space.
		await handle.close().catch(() => undefined);
		await rm(temporary, { force: true });
		throw error;
	}
	await handle.close();
	try {
		await rename(temporary, path);
	} catch (error) {
		await rm(temporary, { force: true });
		throw error;
	}
	await syncDirectory(dirname(path));
}

export async function syncDirectory(directory: string): Promise<void> {
	const handle = await open(directory, 'r');
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}

export function isTemporaryName(name: string): boolean {
	return /\.part-[0-9a-f]{8}$/.test(name);
}
