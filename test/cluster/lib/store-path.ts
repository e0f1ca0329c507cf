/**
 * /var/lib/deis/store on this machine shows .cluster/store.
 *
 * A bind mount, like the CephFS mount on a real host: with a symlink,
 * `find /var/lib/deis/store -type f` (the tool's listStore command) lists
 * nothing, because find does not follow a symlinked starting point. Where
 * mounting is not permitted (an unprivileged container) it falls back to a
 * symlink and says so. A real, non-empty directory is never replaced.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { paths, STORE_PATH } from './paths.js';
import { run } from './proc.js';

function mountedAt(path: string): boolean {
	// Field 5 of mountinfo is the mount point (spaces escaped as \040; our path has none).
	return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((line) => line.split(' ')[4] === path);
}

export async function attachStorePath(): Promise<'bind mount' | 'symlink'> {
	await detachStorePath();
	mkdirSync(dirname(STORE_PATH), { recursive: true });
	const stat = lstatSync(STORE_PATH, { throwIfNoEntry: false });
	if (stat?.isDirectory() && readdirSync(STORE_PATH).length > 0) {
		throw new Error(`${STORE_PATH} is a real directory with content: refusing to replace it (move it away first)`);
	}
	if (stat && !stat.isDirectory()) throw new Error(`${STORE_PATH} exists and is not a directory: refusing to replace it`);
	mkdirSync(STORE_PATH, { recursive: true });
	const mounted = await run('mount', ['--bind', paths.store, STORE_PATH], { allowFail: true });
	if (mounted.code === 0) return 'bind mount';
	rmdirSync(STORE_PATH);
	symlinkSync(paths.store, STORE_PATH);
	console.warn(`warning: cannot bind-mount ${STORE_PATH} (${mounted.stderr.trim()}); using a symlink: \`find ${STORE_PATH}\` will not descend into it`);
	return 'symlink';
}

/** Undoes attachStorePath (and a symlink from an older run); leaves anything else alone. */
export async function detachStorePath(): Promise<void> {
	if (mountedAt(STORE_PATH)) {
		const res = await run('umount', [STORE_PATH], { allowFail: true });
		if (res.code !== 0) await run('umount', ['--lazy', STORE_PATH]);
	}
	const stat = lstatSync(STORE_PATH, { throwIfNoEntry: false });
	if (stat?.isSymbolicLink() && readlinkSync(STORE_PATH) === paths.store) rmSync(STORE_PATH);
	else if (stat?.isDirectory() && !mountedAt(STORE_PATH) && existsSync(STORE_PATH) && readdirSync(STORE_PATH).length === 0) rmdirSync(STORE_PATH);
}
