/**
 * The cluster's state folder under /tmp (see paths.ts) and the checkout's
 * `.cluster` symlink to it.
 *
 * /tmp is writable by everyone, so a folder already there is used only if it
 * is a real directory we own that nobody else can write: otherwise another
 * user could have planted it (or a symlink) to see or steer the run's state.
 */
import { chmodSync, cpSync, lstatSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { clusterDir, repoClusterLink, shimsDir, shimsSource } from './paths.js';

function assertOurs(): void {
	const stat = lstatSync(clusterDir, { throwIfNoEntry: false });
	if (!stat) return;
	const uid = process.getuid?.() ?? 0;
	if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o022) !== 0) {
		throw new Error(`${clusterDir} exists but is not a directory owned by uid ${uid} and writable only by it: remove it and run up.ts again`);
	}
}

/** Makes clusterDir (0755 whatever the umask) and points <repo>/.cluster at it. */
export function prepareStateDir(): void {
	assertOurs();
	const link = lstatSync(repoClusterLink, { throwIfNoEntry: false });
	if (link?.isDirectory()) {
		// A checkout from before the state moved: its pids (for the teardown) and cache move with it.
		rmSync(clusterDir, { recursive: true, force: true });
		renameSync(repoClusterLink, clusterDir);
	}
	mkdirSync(clusterDir, { recursive: true, mode: 0o755 });
	chmodSync(clusterDir, 0o755);
	assertOurs();
	const current = lstatSync(repoClusterLink, { throwIfNoEntry: false });
	if (current?.isSymbolicLink() && readlinkSync(repoClusterLink) === clusterDir) return;
	if (current) rmSync(repoClusterLink, { force: true });
	symlinkSync(clusterDir, repoClusterLink);
}

/** A fresh copy of the shims where `core` (ssh sessions, /opt/bin/deisctl, the login profile) can reach them. */
export function copyShims(): void {
	rmSync(shimsDir, { recursive: true, force: true });
	cpSync(shimsSource, shimsDir, { recursive: true });
	openUp(shimsDir);
}

// A checkout made under umask 077 has 0700 folders and files: core could not run the copy.
function openUp(dir: string): void {
	chmodSync(dir, 0o755);
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) openUp(path);
		else if (entry.isFile()) chmodSync(path, lstatSync(path).mode & 0o100 ? 0o755 : 0o644);
	}
}
