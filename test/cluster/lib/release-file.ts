/**
 * /etc/deis-release, which a Deis host is provisioned with: the new
 * cluster's release when /deis/platform/version is unset (a fresh install).
 * Our file carries a marker so down.ts removes only it.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

export const RELEASE_FILE = '/etc/deis-release';
export const SIM_RELEASE = 'v1.13.4';
const MARKER = '# deis-backup test cluster';

export function writeReleaseFile(): void {
	if (existsSync(RELEASE_FILE) && !ours()) return;
	writeFileSync(RELEASE_FILE, `${MARKER}\nDEIS_RELEASE=${SIM_RELEASE}\n`);
}

export function removeReleaseFile(): void {
	if (existsSync(RELEASE_FILE) && ours()) rmSync(RELEASE_FILE);
}

function ours(): boolean {
	return readFileSync(RELEASE_FILE, 'utf8').startsWith(MARKER);
}
