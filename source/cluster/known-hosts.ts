/**
 * Host key checking against an OpenSSH known_hosts file: plain and hashed
 * (`|1|salt|hmac`) host patterns, `[host]:port` for non-standard ports.
 * A changed key always stops the run; an unknown one needs the operator's yes.
 */
import { createHash, createHmac } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { makeDirectories } from '../archive/folder.js';

export type HostKeyVerdict = 'known' | 'unknown' | 'changed';

export function hostPattern(host: string, port: number): string {
	return port === 22 ? host : `[${host}]:${port}`;
}

export function fingerprint(key: Buffer): string {
	return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

function matchesHost(field: string, pattern: string): boolean {
	for (const entry of field.split(',')) {
		if (entry.startsWith('|1|')) {
			const [, , salt, hash] = entry.split('|');
			if (!salt || !hash) continue;
			const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(pattern).digest('base64');
			if (mac === hash) return true;
		} else if (entry === pattern) {
			return true;
		}
	}
	return false;
}

/**
 * Compares the key the server offered with the file's entries for this host.
 * A host already known under any key that does not match is 'changed': with
 * connectHost asking for the known key types first, a server that no longer
 * offers them is treated like OpenSSH treats a changed key, never re-trusted
 * on --accept-new-host-key. A key listed as `@revoked` is always refused.
 */
export function checkHostKey(knownHostsText: string, host: string, port: number, key: Buffer): HostKeyVerdict {
	const pattern = hostPattern(host, port);
	const offered = key.toString('base64');
	let hostSeen = false;
	for (const raw of knownHostsText.split('\n')) {
		const line = raw.trim();
		if (!line || line.startsWith('#')) continue;
		if (line.startsWith('@')) {
			const [marker, hosts, , blob] = line.split(/\s+/);
			if (marker === '@revoked' && blob === offered && hosts && (hosts === '*' || matchesHost(hosts, pattern))) return 'changed';
			continue;
		}
		const [hosts, type, blob] = line.split(/\s+/);
		if (!hosts || !type || !blob || !matchesHost(hosts, pattern)) continue;
		if (blob === offered) return 'known';
		hostSeen = true;
	}
	return hostSeen ? 'changed' : 'unknown';
}

/** The key types known_hosts holds for this host, so the handshake can ask for one of those first. */
export function knownKeyTypes(knownHostsText: string, host: string, port: number): string[] {
	const pattern = hostPattern(host, port);
	const types: string[] = [];
	for (const raw of knownHostsText.split('\n')) {
		const line = raw.trim();
		if (!line || line.startsWith('#') || line.startsWith('@')) continue;
		const [hosts, type, blob] = line.split(/\s+/);
		if (hosts && type && blob && matchesHost(hosts, pattern) && !types.includes(type)) types.push(type);
	}
	return types;
}

/** The key type is the first length-prefixed string of the SSH wire-format key. */
export function readKeyType(key: Buffer): string {
	if (key.length < 4) return '';
	const length = key.readUInt32BE(0);
	return key.subarray(4, 4 + length).toString('latin1');
}

export async function readKnownHosts(file: string): Promise<string> {
	try {
		return await readFile(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
		throw error;
	}
}

export async function rememberHostKey(file: string, host: string, port: number, key: Buffer): Promise<void> {
	await makeDirectories(dirname(file), 0o700);
	await appendFile(file, `${hostPattern(host, port)} ${readKeyType(key)} ${key.toString('base64')}\n`, { mode: 0o600 });
}
