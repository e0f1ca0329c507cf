/**
 * Looking at a backup folder the way a suspicious operator would: which
 * files carry a final name, what the journals claim, whether the manifest
 * is whole. Used after every kill and every fault.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { isTemporaryName } from '../../../source/util/atomic.js';
import { readManifest, type Manifest } from '../../../source/archive/manifest.js';
import { verifyFolder } from '../../../source/archive/verify.js';

export async function sha256Of(path: string): Promise<string> {
	return createHash('sha256').update(await readFile(path)).digest('hex');
}

export interface Listed {
	/** Relative path, '/' separated. */
	path: string;
	type: 'file' | 'dir' | 'other';
	mode: number;
}

/** Every entry below `root` (recursive), without following links. */
export async function listTree(root: string): Promise<Listed[]> {
	const out: Listed[] = [];
	const walk = async (dir: string) => {
		let entries;
		try {
			entries = await readdir(dir, { withFileTypes: true });
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
			throw error;
		}
		for (const entry of entries) {
			const abs = join(dir, entry.name);
			let info;
			try {
				info = await lstat(abs);
			} catch {
				continue; // removed while we looked (a temporary file being renamed)
			}
			const type = info.isDirectory() ? 'dir' : info.isFile() ? 'file' : 'other';
			out.push({ path: relative(root, abs).split('\\').join('/'), type, mode: info.mode & 0o777 });
			if (type === 'dir') await walk(abs);
		}
	};
	await walk(root);
	return out;
}

/** Files whose name is a final one (not a `.part-` temporary). */
export async function finalFiles(root: string, under = ''): Promise<string[]> {
	const all = await listTree(join(root, under));
	return all.filter((e) => e.type === 'file' && !isTemporaryName(e.path.split('/').at(-1) ?? '')).map((e) => (under ? `${under}/${e.path}` : e.path));
}

export async function countFinalObjects(folder: string): Promise<number> {
	return (await finalFiles(folder, 'buckets')).length;
}

export async function hasTemporary(folder: string, under = ''): Promise<boolean> {
	return (await listTree(join(folder, under))).some((e) => e.type === 'file' && isTemporaryName(e.path.split('/').at(-1) ?? ''));
}

export async function journalLines(file: string): Promise<string[]> {
	try {
		return (await readFile(file, 'utf8')).split('\n').filter(Boolean);
	} catch {
		return [];
	}
}

/** The last 1,024 bytes of a whole tar archive are zero, and gzip checks its own CRC. */
export function isWholeTarGz(data: Buffer): boolean {
	try {
		const tar = gunzipSync(data);
		return tar.length >= 1024 && tar.subarray(-1024).every((b) => b === 0);
	} catch {
		return false;
	}
}

/**
 * What must hold in a backup folder at any instant, however the run ended:
 * every final-named object file is byte-identical to the cluster's object
 * (`reference`: path in the folder → sha256), every journaled object names
 * such a file, the tarball and dump (when present) are whole, and the
 * manifest (when present) is valid and verifies.
 */
export async function assertBackupFolderSound(folder: string, reference: ReadonlyMap<string, string>, context: string): Promise<{ objects: number; manifest?: Manifest }> {
	const objects = await finalFiles(folder, 'buckets');
	for (const path of objects) {
		const expected = reference.get(path);
		assert.ok(expected, `${context}: ${path} has a final name but is no object of the cluster`);
		assert.equal(await sha256Of(join(folder, path)), expected, `${context}: ${path} has a final name but wrong content`);
	}
	const stateDir = join(folder, '.deis-backup');
	for (const name of await readdir(stateDir).catch(() => [] as string[])) {
		if (!name.startsWith('objects-')) continue;
		const bucket = name.replace(/^objects-/, '').replace(/\.jsonl$/, '');
		for (const line of await journalLines(join(stateDir, name))) {
			let entry: { key: string; path: string; sha256: string };
			try {
				entry = JSON.parse(line) as typeof entry;
			} catch {
				continue; // a torn last line is allowed: its object is redone
			}
			const path = `buckets/${bucket}/${entry.path}`;
			assert.equal(entry.sha256, reference.get(path), `${context}: journal entry for ${entry.key} has a wrong sha256`);
			assert.equal(await sha256Of(join(folder, path)), entry.sha256, `${context}: journaled ${path} is not on disk as journaled`);
		}
	}
	const tarball = join(folder, 'store_file_backup.tar.gz');
	const tar = await readFile(tarball).catch(() => undefined);
	if (tar) assert.ok(isWholeTarGz(tar), `${context}: store_file_backup.tar.gz has its final name but is not a whole archive`);
	const dump = await readFile(join(folder, 'dump_all.sql'), 'utf8').catch(() => undefined);
	if (dump !== undefined) assert.match(dump, /-- PostgreSQL database cluster dump complete\n--\s*$/, `${context}: dump_all.sql has its final name but is cut short`);
	const hasManifest = await lstat(join(folder, 'manifest.json')).then(
		() => true,
		() => false,
	);
	if (!hasManifest) return { objects: objects.length };
	const manifest = await readManifest(folder);
	const check = await verifyFolder(folder, manifest, () => {});
	assert.deepEqual(check.problems, [], `${context}: manifest.json present but the folder does not verify`);
	return { objects: objects.length, manifest };
}

/** path in the folder → sha256, from a finished backup's manifest. */
export function referenceOf(manifest: Manifest): Map<string, string> {
	const map = new Map<string, string>();
	for (const bucket of manifest.buckets) for (const object of bucket.objects) map.set(`${bucket.folder}/${object.path}`, object.sha256);
	return map;
}
