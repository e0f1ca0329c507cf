/**
 * The store's name, deis-store.<domain>, resolved to loopback through
 * /etc/hosts. Our line carries a marker so down.ts removes exactly it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { HOSTS_FILE, LOOPBACK, STORE_HOSTNAME } from './paths.js';

const MARKER = '# deis-backup test cluster';
const OUR_LINE = `${LOOPBACK} ${STORE_HOSTNAME} ${MARKER}`;

function lines(): string[] {
	return readFileSync(HOSTS_FILE, 'utf8').split('\n');
}

// /etc/hosts may be a bind mount (containers): rewrite in place rather than rename over it.
function write(all: string[]): void {
	writeFileSync(HOSTS_FILE, `${all.join('\n').replace(/\n+$/, '')}\n`);
}

export function addHostsEntry(): void {
	const all = lines().filter((l) => !l.endsWith(MARKER));
	write([...all, OUR_LINE]);
}

export function removeHostsEntry(): void {
	const all = lines();
	const kept = all.filter((l) => !l.endsWith(MARKER));
	if (kept.length !== all.length) write(kept);
}
