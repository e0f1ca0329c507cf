/**
 * Host key checking against OpenSSH known_hosts files, matched as OpenSSH's
 * hostfile.c does: hashed names (`|1|salt|hmac`), pattern lists with `*`, `?`
 * and `!` negation, `[host]:port` for ports other than 22, host names compared
 * in lower case, `@revoked` keys. No npm library does this (the ssh
 * libraries leave host keys to the caller), hence our own, with unit tests.
 * A changed key always stops the run; an unknown one needs the operator's yes.
 */
import { createHash, createHmac } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { makeDirectories } from '../util/fs.js';

/** One known_hosts file and its text. */
export interface KnownHostsFile {
	path: string;
	text: string;
}

/** Where a key that disagrees with the offered one is written down. */
export interface KnownHostsLine {
	path: string;
	/** 1-based, as in OpenSSH's "Offending key in FILE:LINE". */
	line: number;
}

export type HostKeyCheck = { verdict: 'known' } | { verdict: 'unknown' } | ({ verdict: 'changed' | 'revoked' } & KnownHostsLine);

/** The name known_hosts stores for a host: OpenSSH lower-cases it and brackets it with any port but 22. */
export function hostPattern(host: string, port: number): string {
	const name = host.toLowerCase();
	return port === 22 ? name : `[${name}]:${port}`;
}

export function fingerprint(key: Buffer): string {
	return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** OpenSSH's match_pattern: `*` any run of characters, `?` exactly one, everything else literal. */
export function matchesPattern(text: string, pattern: string): boolean {
	let t = 0;
	let p = 0;
	let starP = -1;
	let starT = 0;
	while (t < text.length) {
		if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
			t += 1;
			p += 1;
		} else if (p < pattern.length && pattern[p] === '*') {
			starP = p;
			starT = t;
			p += 1;
		} else if (starP >= 0) {
			p = starP + 1;
			starT += 1;
			t = starT;
		} else {
			return false;
		}
	}
	while (p < pattern.length && pattern[p] === '*') p += 1;
	return p === pattern.length;
}

/**
 * OpenSSH's match_hostname over a comma-separated list: a negated pattern
 * that matches rules the line out whatever else matches.
 */
export function matchesHostList(list: string, name: string): boolean {
	let matched = false;
	for (const raw of list.split(',')) {
		const negated = raw.startsWith('!');
		const pattern = (negated ? raw.slice(1) : raw).toLowerCase();
		if (!matchesPattern(name, pattern)) continue;
		if (negated) return false;
		matched = true;
	}
	return matched;
}

/** A hashed entry (`|1|base64 salt|base64 HMAC-SHA1 of the name`). */
function matchesHashed(entry: string, name: string): boolean {
	const [, magic, salt, hash] = entry.split('|');
	if (magic !== '1' || !salt || !hash) return false;
	const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
	return mac.equals(Buffer.from(hash, 'base64'));
}

function matchesHostField(field: string, name: string): boolean {
	return field.startsWith('|') ? matchesHashed(field, name) : matchesHostList(field, name);
}

interface Entry extends KnownHostsLine {
	marker?: string;
	type: string;
	key: Buffer;
}

/** The entries of every file that name this host, in file order. */
function entriesFor(files: readonly KnownHostsFile[], host: string, port: number): Entry[] {
	const name = hostPattern(host, port);
	const entries: Entry[] = [];
	for (const file of files) {
		file.text.split('\n').forEach((raw, index) => {
			const fields = raw.trim().split(/\s+/);
			if (fields[0] === '' || fields[0]?.startsWith('#')) return;
			const marker = fields[0]?.startsWith('@') ? fields.shift() : undefined;
			const [hosts, type, blob] = fields;
			if (!hosts || !type || !blob || !matchesHostField(hosts, name)) return;
			entries.push({ path: file.path, line: index + 1, marker, type, key: Buffer.from(blob, 'base64') });
		});
	}
	return entries;
}

/**
 * Compares the key the server offered with the entries for this host. A host
 * already known under any key that does not match is 'changed': with
 * connectHost asking for the known key types first, a server that no longer
 * offers them is treated like OpenSSH treats a changed key, never re-trusted
 * on --accept-new-host-key. The line named is one of the same key type when
 * there is one, as OpenSSH's "Offending key" is.
 */
export function checkHostKey(files: readonly KnownHostsFile[], host: string, port: number, key: Buffer): HostKeyCheck {
	const entries = entriesFor(files, host, port);
	const revoked = entries.find((entry) => entry.marker === '@revoked' && entry.key.equals(key));
	if (revoked) return { verdict: 'revoked', path: revoked.path, line: revoked.line };
	// Certificate authorities sign host certificates, which this tool does not use.
	const plain = entries.filter((entry) => entry.marker === undefined);
	if (plain.some((entry) => entry.key.equals(key))) return { verdict: 'known' };
	const offending = plain.find((entry) => entry.type === readKeyType(key)) ?? plain[0];
	return offending ? { verdict: 'changed', path: offending.path, line: offending.line } : { verdict: 'unknown' };
}

/** The key types known_hosts holds for this host, so the handshake can ask for one of those first. */
export function knownKeyTypes(files: readonly KnownHostsFile[], host: string, port: number): string[] {
	const types = entriesFor(files, host, port)
		.filter((entry) => entry.marker === undefined)
		.map((entry) => entry.type);
	return [...new Set(types)];
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

/** OpenSSH's own command for removing a host's old keys from one file. */
export function removeCommand(path: string, host: string, port: number): string {
	const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;
	return `ssh-keygen -f ${quote(path)} -R ${quote(port === 22 ? host : `[${host}]:${port}`)}`;
}
