/**
 * Saved connection profiles: host, port, user, key path, domain. Never the
 * gateway keys: those are read from the cluster each run.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../util/atomic.js';
import type { ConnectionSettings } from '../settings.js';

const SAVED_FIELDS = ['host', 'port', 'user', 'identity', 'knownHosts', 'sshConfig', 'domain', 'storeEndpoint', 'tunnel', 'signatureVersion'] as const;

export function profilesFile(env: NodeJS.ProcessEnv = process.env): string {
	const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
	return join(base, 'deis-backup', 'profiles.json');
}

export async function loadProfiles(file = profilesFile()): Promise<Record<string, Partial<ConnectionSettings>>> {
	try {
		const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown;
		return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, Partial<ConnectionSettings>>) : {};
	} catch {
		return {};
	}
}

export async function saveProfile(name: string, settings: ConnectionSettings, file = profilesFile()): Promise<void> {
	const profiles = await loadProfiles(file);
	const kept: Record<string, unknown> = {};
	for (const field of SAVED_FIELDS) if (settings[field] !== undefined) kept[field] = settings[field];
	profiles[name] = kept as Partial<ConnectionSettings>;
	await mkdir(dirname(file), { recursive: true, mode: 0o700 });
	await writeFileAtomic(file, `${JSON.stringify(profiles, null, '\t')}\n`);
}
