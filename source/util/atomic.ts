/**
 * Files become visible under their final name only when complete: written to
 * a temporary sibling, flushed, then renamed. A crash leaves a `.part-*` file
 * that no reader takes for good.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

// Eight hex digits as before (isTemporaryName knows them), drawn once and then counted:
// unique within a process, random between processes, without a random draw per file.
const FIRST_TAG = randomBytes(4).readUInt32BE(0);
let counter = 0;

export function temporarySibling(path: string): string {
	const tag = ((FIRST_TAG + counter++) >>> 0).toString(16).padStart(8, '0');
	return join(dirname(path), `.${basename(path)}.part-${tag}`);
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
