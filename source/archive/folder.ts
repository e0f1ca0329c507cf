/**
 * Preparing a backup folder: private permissions, a refusal to mix two
 * clusters in one folder, and the leftovers of an interrupted run cleared.
 */
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { exists, makeDirectories } from '../util/fs.js';
import { isTemporaryName } from '../util/atomic.js';
import { STATE_DIR } from './layout.js';
import { MANIFEST_FILE, readManifestIfPresent, type Manifest } from './manifest.js';

export interface PreparedFolder {
	/** What the last run saved: its objects need no downloading if unchanged. */
	previous?: Manifest;
	/** The folder held a finished backup whose manifest this run set aside. */
	setAside: boolean;
	/** This run made the folder: if it saves nothing, it takes the folder away again. */
	created: boolean;
	state: FolderState;
}

/** new: nothing there yet; unfinished: an earlier run stopped before its manifest; finished: a whole backup to refresh. */
export type FolderState = 'new' | 'unfinished' | 'finished';

/** What inspectBackupFolder found: the folder's state, and the manifests it read on the way. */
interface Inspection {
	state: FolderState;
	exists: boolean;
	/** manifest.json: a finished backup. */
	finished?: Manifest;
	/** The last run's manifest: the finished one, or the one a stopped re-run had set aside. */
	previous?: Manifest;
}

/**
 * What a backup run would find in the folder, without changing it: the same
 * checks (a file in the way, another cluster's backup) for a run and a dry run.
 */
export async function inspectBackupFolder(folder: string, cluster: { domain: string }): Promise<Inspection> {
	const info = await stat(folder).catch(() => undefined);
	if (!info) return { state: 'new', exists: false };
	if (!info.isDirectory()) throw new UserError(`${folder} exists and is not a folder; choose another with --out.`);
	const stateDir = join(folder, STATE_DIR);
	const finished = await readManifestIfPresent(folder);
	const previous = finished ?? (await readManifestIfPresent(stateDir));
	if (previous && previous.cluster.domain !== cluster.domain) {
		throw new UserError(`${folder} holds a backup of another cluster (${previous.cluster.domain}); choose a new folder with --out.`);
	}
	if (finished) return { state: 'finished', exists: true, finished, previous };
	return { state: (await exists(stateDir)) || previous ? 'unfinished' : 'new', exists: true, previous };
}

export async function prepareBackupFolder(folder: string, cluster: { domain: string; host: string }): Promise<PreparedFolder> {
	// The manifests are read once, here: a re-sync's manifest of 10,000 objects takes ~0.1 s to read and check.
	const { state, exists: existed, finished, previous } = await inspectBackupFolder(folder, cluster);
	try {
		await makeDirectories(folder, 0o700);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new UserError(`Cannot create the backup folder ${folder} (${code}); choose another with --out.`);
	}
	const stateDir = join(folder, STATE_DIR);
	// A re-run replaces files the old manifest vouches for: the old manifest steps aside
	// into the state folder first, so a run stopped half-way never leaves a manifest.json
	// that no longer matches. It still tells which objects need no downloading.
	if (await exists(stateDir)) await removeTemporaries(folder);
	if (finished) {
		await makeDirectories(stateDir, 0o700);
		await rename(join(folder, MANIFEST_FILE), join(stateDir, MANIFEST_FILE));
	}
	return { previous, setAside: finished !== undefined, created: !existed, state };
}

/**
 * Takes away a folder this run created when it holds nothing saved: only
 * folders and empty journals. True when it was removed. A folder with any
 * byte of a downloaded object stays, so the same command resumes from it.
 */
export async function removeIfNothingSaved(folder: string): Promise<boolean> {
	const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => undefined);
	if (!entries) return false;
	for (const entry of entries) {
		if (entry.isDirectory()) continue;
		if (!entry.isFile()) return false;
		const path = join(entry.parentPath, entry.name);
		if (isTemporaryName(entry.name)) continue;
		if ((await stat(path)).size > 0) return false;
	}
	await rm(folder, { recursive: true, force: true });
	return true;
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
