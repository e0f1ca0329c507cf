/**
 * platform-settings.json: the operator's etcd settings of the backed-up
 * cluster, values exactly as etcd held them. It holds secrets (the deis run
 * key, TLS keys, passwords), so it is written 0600 like every file of the
 * backup, and only key names and checksums go into the manifest.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic.js';

export const SETTINGS_FILE = 'platform-settings.json';
export const SETTINGS_FORMAT = 'deis-backup-settings/1';

export interface SavedSettings {
	format: typeof SETTINGS_FORMAT;
	/** Keys the operator sets, full etcd path → value (older names included as they were). */
	operator: Record<string, string>;
	/** Keys no Deis v1 release is known to read: kept for the operator, never applied. */
	unknown: Record<string, string>;
	/** Keys the platform generated: names only, to say in a restore's preview what was left behind. */
	generated: string[];
}

/** What the manifest records of the file: its checksum and each value's. */
export interface SettingsEntry {
	file: string;
	size: number;
	sha256: string;
	/** Key → sha256 of its value. */
	values: Record<string, string>;
	unknown: Record<string, string>;
}

export function sha256Text(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

const checksums = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([key, value]) => [key, sha256Text(value)]));

export async function writeSettingsFile(folder: string, settings: SavedSettings): Promise<SettingsEntry> {
	const text = `${JSON.stringify(settings, null, '\t')}\n`;
	await writeFileAtomic(join(folder, SETTINGS_FILE), text);
	return { file: SETTINGS_FILE, size: Buffer.byteLength(text), sha256: sha256Text(text), values: checksums(settings.operator), unknown: checksums(settings.unknown) };
}

/** The file, checked value by value against the manifest: a changed value must not reach a cluster. */
export async function readSettingsFile(folder: string, entry: SettingsEntry): Promise<SavedSettings> {
	const path = join(folder, entry.file);
	const bad = (why: string) => new UserError(`${path} ${why}; use an untouched backup, or restore without its settings (--skip-settings).`);
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (error) {
		throw bad(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		throw bad('is not valid JSON');
	}
	if (!isSettings(parsed)) throw bad('is not a deis-backup settings file');
	for (const [section, expected] of [
		['operator', entry.values],
		['unknown', entry.unknown],
	] as const) {
		const values = parsed[section];
		const keys = Object.keys(values).sort();
		if (keys.join('\n') !== Object.keys(expected).sort().join('\n')) throw bad(`lists other ${section} keys than the manifest`);
		for (const key of keys) if (sha256Text(values[key] as string) !== expected[key]) throw bad(`holds a value of ${key} that does not match the manifest's checksum`);
	}
	return parsed;
}

function isSettings(value: unknown): value is SavedSettings {
	if (typeof value !== 'object' || value === null) return false;
	const record = value as Record<string, unknown>;
	const strings = (map: unknown) => typeof map === 'object' && map !== null && !Array.isArray(map) && Object.values(map).every((v) => typeof v === 'string');
	return record.format === SETTINGS_FORMAT && strings(record.operator) && strings(record.unknown) && Array.isArray(record.generated) && record.generated.every((k) => typeof k === 'string');
}
