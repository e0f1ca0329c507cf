/**
 * Connection settings from flags, then environment, then a saved profile,
 * then Vagrant's defaults when asked for. Without a terminal nothing is asked:
 * a missing answer is an error naming the flag to pass.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Flags } from '../cli/args.js';
import { UserError } from '../errors.js';
import { loadProfiles } from './profiles.js';
import { VAGRANT_DEFAULTS, type ConnectionSettings } from './settings.js';
import { validateDomainName, validateEndpoint, validateHost, validatePort, validateUser } from './validate.js';

export function partialSettings(flags: Flags, env: NodeJS.ProcessEnv = process.env, profile?: Partial<ConnectionSettings>): Partial<ConnectionSettings> {
	const vagrant: Partial<ConnectionSettings> = flags.vagrant
		? { host: VAGRANT_DEFAULTS.host, port: VAGRANT_DEFAULTS.port, user: VAGRANT_DEFAULTS.user, domain: VAGRANT_DEFAULTS.domain, identity: join(homedir(), VAGRANT_DEFAULTS.identityFromHome) }
		: {};
	const fromFlags: Partial<ConnectionSettings> = {
		host: flags.host ?? env.DEIS_BACKUP_HOST,
		port: flags.port !== undefined ? Number(flags.port) : env.DEIS_BACKUP_PORT ? Number(env.DEIS_BACKUP_PORT) : undefined,
		user: flags.user ?? env.DEIS_BACKUP_USER,
		identity: flags.identity ?? env.DEIS_BACKUP_IDENTITY,
		knownHosts: flags['known-hosts'],
		acceptNewHostKey: flags['accept-new-host-key'],
		domain: flags.domain ?? env.DEIS_BACKUP_DOMAIN,
		storeEndpoint: flags['store-endpoint'] ?? env.DEIS_BACKUP_STORE_ENDPOINT,
		tunnel: flags.tunnel,
		signatureVersion: signatureVersionOf(flags['signature-version'] ?? env.DEIS_BACKUP_SIGNATURE_VERSION),
	};
	const merged: Partial<ConnectionSettings> = { ...vagrant, ...profile };
	for (const [key, value] of Object.entries(fromFlags)) if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
	if (flags.port !== undefined) {
		const problem = validatePort(flags.port);
		if (problem) throw new UserError(`--port: ${problem}`, 2);
	}
	return merged;
}

function signatureVersionOf(text: string | undefined): 2 | 4 | undefined {
	if (text === undefined) return undefined;
	if (text.trim() === '2' || text.trim() === '4') return Number(text.trim()) as 2 | 4;
	throw new UserError(`--signature-version: ${JSON.stringify(text)} is not 2 or 4; a Deis v1 gateway needs 2 (the default), a gateway on Ceph Jewel or later also takes 4.`, 2);
}

/** Flags over environment over the saved profile named by --profile. */
export async function settingsFromFlags(flags: Flags, env: NodeJS.ProcessEnv = process.env): Promise<Partial<ConnectionSettings>> {
	if (!flags.profile) return partialSettings(flags, env);
	const profiles = await loadProfiles();
	const profile = profiles[flags.profile];
	if (!profile) {
		const names = Object.keys(profiles);
		throw new UserError(`No saved profile named ${JSON.stringify(flags.profile)}${names.length ? ` (saved: ${names.join(', ')})` : ''}; the wizard saves profiles after a run.`, 2);
	}
	return partialSettings(flags, env, profile);
}

/** Complete settings, or a usage error naming what is missing or wrong. */
export function completeSettings(partial: Partial<ConnectionSettings>): ConnectionSettings {
	if (!partial.host) throw new UserError('No cluster host given: pass --host (or --vagrant for a local Vagrant cluster).', 2);
	if (!partial.domain) throw new UserError('No cluster domain given: pass --domain (the gateway answers at deis-store.<domain>).', 2);
	const settings: ConnectionSettings = { ...partial, host: partial.host.trim(), port: partial.port ?? 22, user: partial.user ?? 'core', domain: partial.domain.trim().replace(/\.$/, '') };
	const problems = [
		['--host', validateHost(settings.host)],
		['--port', validatePort(String(settings.port))],
		['--user', validateUser(settings.user)],
		['--domain', validateDomainName(settings.domain)],
		['--store-endpoint', settings.storeEndpoint ? validateEndpoint(settings.storeEndpoint) : undefined],
	] as const;
	for (const [flag, problem] of problems) if (problem) throw new UserError(`${flag}: ${problem}`, 2);
	return settings;
}
