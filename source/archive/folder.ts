/**
 * Preparing a backup folder: private permissions, a refusal to mix two
 * clusters in one folder, and the leftovers of an interrupted run cleared.
 */
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import { isTemporaryName } from './atomic.js';
import { STATE_DIR } from './layout.js';
import { MANIFEST_FILE, readManifestIfPresent, type Manifest } from './manifest.js';

export interface PreparedFolder {
	/** What the last run saved: its objects need no fetching if unchanged. */
	previous?: Manifest;
	/** The folder held a finished backup whose manifest this run set aside. */
	setAside: boolean;
}

export async function prepareBackupFolder(folder: string, cluster: { domain: string; host: string }): Promise<PreparedFolder> {
	try {
		await makeDirectories(folder, 0o700);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new UserError(`Cannot create the backup folder ${folder} (${code}); choose another with --out.`);
	}
	const info = await stat(folder);
	if (!info.isDirectory()) throw new UserError(`${folder} exists and is not a folder; choose another with --out.`);
	const stateDir = join(folder, STATE_DIR);
	// A re-run replaces files the old manifest vouches for: the old manifest steps aside
	// into the state folder first, so a run stopped half-way never leaves a manifest.json
	// that no longer matches. It still tells which objects need no fetching.
	const finished = await readManifestIfPresent(folder);
	const previous = finished ?? (await readManifestIfPresent(stateDir));
	if (previous && previous.cluster.domain !== cluster.domain) {
		throw new UserError(`${folder} holds a backup of another cluster (${previous.cluster.domain}); choose a new folder with --out.`);
	}
	if (await exists(stateDir)) await removeTemporaries(folder);
	if (finished) {
		await makeDirectories(stateDir, 0o700);
		await rename(join(folder, MANIFEST_FILE), join(stateDir, MANIFEST_FILE));
	}
	return { previous, setAside: finished !== undefined };
}

/**
 * After a failed re-run that replaced nothing the old manifest vouches for,
 * the old backup is whole again: its manifest goes back in place.
 */
export async function reinstateManifest(folder: string): Promise<void> {
	const aside = join(folder, STATE_DIR, MANIFEST_FILE);
	if ((await exists(aside)) && !(await exists(join(folder, MANIFEST_FILE)))) await rename(aside, join(folder, MANIFEST_FILE));
}

async function removeTemporaries(folder: string): Promise<void> {
	const entries = await readdir(folder, { recursive: true, withFileTypes: true });
	await Promise.all(
		entries.filter((entry) => entry.isFile() && isTemporaryName(entry.name)).map((entry) => rm(join(entry.parentPath, entry.name), { force: true })),
	);
}

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
