/**
 * The store volume's content (/var/lib/deis/store on a Deis host): component
 * and app logs plus files of several owners and modes, generated the same way
 * every time, and the live log writer that makes `tar` warn.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_USER, paths, shimsDir } from './paths.js';
import { Rng } from './prng.js';
import { daemonRunning, startDaemon, stopDaemon } from './proc.js';
import { lookupUser } from './users.js';

type Owner = 'root' | typeof HOST_USER | 'nobody';

export interface StoreEntry {
	path: string;
	owner: Owner;
	mode: number;
	/** Absent for directories. */
	content?: string;
}

/** The live log the appender writes to: "file changed as we read it" names this file. */
export const LIVE_LOG = 'logs/deis-registry.log';
const FIXED_MTIME = new Date('2015-09-15T12:00:00Z');

function logLines(label: string, count: number, line: (rng: Rng, time: string) => string): string {
	const rng = new Rng(label);
	let t = Date.parse('2015-09-01T00:00:00Z');
	const out: string[] = [];
	for (let i = 0; i < count; i++) {
		t += rng.int(50, 60000);
		out.push(line(rng, new Date(t).toISOString()));
	}
	return `${out.join('\n')}\n`;
}

const PATHS = ['/', '/healthz', '/api/v1/items', '/login', '/static/app.js', '/v1/_ping', '/v1/images'];
const APPS = ['webapp', 'api-staging', 'worker-jobs'];

function appLog(app: string, count: number): string {
	return logLines(`store:${app}`, count, (rng, time) =>
		`${time} ${app}[web.${rng.int(1, 3)}]: ${rng.pick(['GET', 'POST', 'PUT'])} ${rng.pick(PATHS)} ${rng.pick([200, 200, 200, 201, 304, 404, 500])} ${rng.int(1, 900)}ms`,
	);
}

export function storeLayout(): StoreEntry[] {
	const rng = new Rng('store:misc');
	return [
		{ path: 'logs', owner: 'root', mode: 0o755 },
		{ path: 'logs/deis-controller.log', owner: 'root', mode: 0o644, content: logLines('store:controller', 1100, (r, time) =>
			`${time} INFO [api.models]: ${r.pick(['admin', 'dev'])} ${r.pick(['scaled containers', 'deployed', 'set config for', 'added domain to'])} ${r.pick(APPS)} (v${r.int(1, 60)})`) },
		{ path: LIVE_LOG, owner: 'root', mode: 0o644, content: logLines('store:registry', 600, (r, time) =>
			`${time} deis-registry[1]: 172.17.8.100 - - "${r.pick(['GET', 'PUT'])} /v1/images/${r.hex(16)}/layer HTTP/1.1" 200 ${r.int(100, 90000)}`) },
		{ path: 'logs/deis-router.log', owner: 'root', mode: 0o644, content: appLog('deis-router', 500) },
		...APPS.map((app, i): StoreEntry => ({ path: `logs/${app}.log`, owner: 'root', mode: 0o644, content: appLog(app, 400 + 250 * i) })),
		{ path: 'controller', owner: 'root', mode: 0o700 },
		{ path: 'controller/secret_key', owner: 'root', mode: 0o600, content: `${rng.hex(64)}\n` },
		{ path: 'home', owner: 'root', mode: 0o755 },
		{ path: `home/${HOST_USER}`, owner: HOST_USER, mode: 0o755 },
		{ path: `home/${HOST_USER}/deploy-notes.txt`, owner: HOST_USER, mode: 0o644, content: 'Backups: see the procedure in the Deis docs.\n'.repeat(40) },
		{ path: `home/${HOST_USER}/.netrc`, owner: HOST_USER, mode: 0o600, content: `machine deis.example.test login admin password ${rng.hex(24)}\n` },
		{ path: 'spool', owner: 'nobody', mode: 0o700 },
		...[1, 2, 3].map((n): StoreEntry => ({ path: `spool/queue-000${n}.msg`, owner: 'nobody', mode: 0o600, content: `${rng.hex(64)}\n`.repeat(60) })),
		{ path: 'bin', owner: 'root', mode: 0o755 },
		{ path: 'bin/rotate-logs.sh', owner: 'root', mode: 0o755, content: '#!/bin/sh\nfind /var/lib/deis/store/logs -name "*.log" -size +100M -exec truncate -s 0 {} \\;\n' },
	];
}

function ownerIds(owner: Owner): { uid: number; gid: number } {
	return owner === 'root' ? { uid: 0, gid: 0 } : lookupUser(owner);
}

/** Removes everything inside the store folder (not the folder: the symlink points at it). */
export function emptyStore(): void {
	mkdirSync(paths.store, { recursive: true, mode: 0o755 });
	for (const name of readdirSync(paths.store)) rmSync(join(paths.store, name), { recursive: true, force: true });
}

export function populateStore(): void {
	emptyStore();
	const entries = storeLayout();
	for (const entry of entries) {
		const full = join(paths.store, entry.path);
		if (entry.content === undefined) mkdirSync(full);
		else writeFileSync(full, entry.content);
		const { uid, gid } = ownerIds(entry.owner);
		chownSync(full, uid, gid);
		chmodSync(full, entry.mode);
	}
	// Files first, then directories deepest-first: creating a child changes its parent's mtime.
	for (const entry of [...entries].reverse()) utimesSync(join(paths.store, entry.path), FIXED_MTIME, FIXED_MTIME);
}

const APPENDER = 'store-appender';

/** A line every ~5 ms to the live log, as on a running cluster. */
export function startAppender(): void {
	if (daemonRunning(APPENDER)) return;
	if (!existsSync(join(paths.store, 'logs'))) throw new Error('store is empty: populate it before starting the appender');
	startDaemon(APPENDER, ['bash', join(shimsDir, 'lib/store-appender.sh'), join(paths.store, LIVE_LOG), '0.005']);
}

export function stopAppender(): Promise<void> {
	return stopDaemon(APPENDER);
}

export function appenderRunning(): boolean {
	return daemonRunning(APPENDER);
}
