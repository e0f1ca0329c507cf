/**
 * Connection settings from flags, then environment, then a saved profile,
 * then Vagrant's defaults when asked for, then DEISCTL_TUNNEL for the host;
 * then what ssh_config says for that host where none of those spoke. Without
 * a terminal nothing is asked: a missing answer is an error naming the flag to pass.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { loadProfiles } from './profiles.js';
import { VAGRANT_DEFAULTS, type ConnectionSettings } from '../settings.js';
import { applySshConfig, splitHostPort } from './ssh-config.js';
import { validateAlias, validateDomainName, validateEndpoint, validateHost, validatePort, validateUser } from '../validate.js';

/**
 * The command-line flags that say how to connect (the CLI's parsed flags fit
 * this shape): settings are resolved here without depending on the CLI.
 */
export interface ConnectionFlags {
	host?: string;
	port?: string;
	user?: string;
	identity?: string;
	'known-hosts'?: string;
	'accept-new-host-key'?: boolean;
	'insecure-key-permissions'?: boolean;
	'ssh-config'?: string;
	domain?: string;
	'store-endpoint'?: string;
	tunnel?: boolean;
	'signature-version'?: string;
	vagrant?: boolean;
	profile?: string;
}

export function partialSettings(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env, profile?: Partial<ConnectionSettings>): Partial<ConnectionSettings> {
	const vagrant: Partial<ConnectionSettings> = flags.vagrant
		? { host: VAGRANT_DEFAULTS.host, port: VAGRANT_DEFAULTS.port, user: VAGRANT_DEFAULTS.user, domain: VAGRANT_DEFAULTS.domain, identity: join(homedir(), VAGRANT_DEFAULTS.identityFromHome) }
		: {};
	if (flags.port !== undefined) {
		const problem = validatePort(flags.port);
		if (problem) throw new UserError(`--port: ${problem}`, 2);
	}
	const fromFlags: Partial<ConnectionSettings> = {
		host: flags.host ?? env.DEIS_BACKUP_HOST,
		port: flags.port !== undefined ? Number(flags.port) : env.DEIS_BACKUP_PORT ? Number(env.DEIS_BACKUP_PORT) : undefined,
		user: flags.user ?? env.DEIS_BACKUP_USER,
		identity: flags.identity ?? env.DEIS_BACKUP_IDENTITY,
		knownHosts: flags['known-hosts'],
		acceptNewHostKey: flags['accept-new-host-key'],
		insecureKeyPermissions: flags['insecure-key-permissions'],
		sshConfig: flags['ssh-config'],
		domain: flags.domain ?? env.DEIS_BACKUP_DOMAIN,
		storeEndpoint: flags['store-endpoint'] ?? env.DEIS_BACKUP_STORE_ENDPOINT,
		tunnel: flags.tunnel,
		signatureVersion: signatureVersionOf(flags['signature-version'] ?? env.DEIS_BACKUP_SIGNATURE_VERSION),
	};
	// deisctl's own variable names the machine it tunnels to: the host of last resort.
	const tunnelHost: Partial<ConnectionSettings> = env.DEISCTL_TUNNEL ? { host: env.DEISCTL_TUNNEL } : {};
	const merged: Partial<ConnectionSettings> = { ...tunnelHost, ...vagrant, ...profile };
	for (const [key, value] of Object.entries(fromFlags)) if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
	if (merged.host === undefined) return merged;
	const from = flags.host !== undefined ? '--host' : env.DEIS_BACKUP_HOST ? 'DEIS_BACKUP_HOST' : profile?.host !== undefined ? '--profile' : flags.vagrant ? '--vagrant' : 'DEISCTL_TUNNEL';
	const split = splitHostPort(merged.host);
	if ('problem' in split) throw new UserError(`${from}: ${split.problem}`, 2);
	merged.host = split.host;
	if (split.port !== undefined) {
		// An explicit --port wins over DEISCTL_TUNNEL's; two different ports typed by hand are a mistake to point out.
		if (fromFlags.port !== undefined && fromFlags.port !== split.port && from !== 'DEISCTL_TUNNEL') {
			throw new UserError(`${from} names port ${split.port} and --port ${fromFlags.port}; give the port once.`, 2);
		}
		merged.port = fromFlags.port ?? split.port;
	}
	return merged;
}

function signatureVersionOf(text: string | undefined): 2 | 4 | undefined {
	if (text === undefined) return undefined;
	if (text.trim() === '2' || text.trim() === '4') return Number(text.trim()) as 2 | 4;
	throw new UserError(`--signature-version: ${JSON.stringify(text)} is not 2 or 4; a Deis v1 gateway needs 2 (the default), a gateway on Ceph Jewel or later also takes 4.`, 2);
}

/** Flags over environment over the saved profile named by --profile, then ssh_config. */
export async function settingsFromFlags(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): Promise<Partial<ConnectionSettings>> {
	if (!flags.profile) return applySshConfig(partialSettings(flags, env), env);
	const profiles = await loadProfiles();
	const profile = profiles[flags.profile];
	if (!profile) {
		const names = Object.keys(profiles);
		throw new UserError(`No saved profile named ${JSON.stringify(flags.profile)}${names.length ? ` (saved: ${names.join(', ')})` : ''}; the wizard saves profiles after a run.`, 2);
	}
	return applySshConfig(partialSettings(flags, env, profile), env);
}

/** Complete settings, or a usage error naming what is missing or wrong. */
export function completeSettings(partial: Partial<ConnectionSettings>): ConnectionSettings {
	if (!partial.host) throw new UserError('No cluster host given: pass --host, or set DEISCTL_TUNNEL as for deisctl (or --vagrant for a local Vagrant cluster).', 2);
	if (!partial.domain) throw new UserError('No cluster domain given: pass --domain (the gateway answers at deis-store.<domain>).', 2);
	const settings: ConnectionSettings = { ...partial, host: partial.host.trim(), port: partial.port ?? 22, user: partial.user ?? 'core', domain: partial.domain.trim().replace(/\.$/, '') };
	// An ssh_config alias is any word; the address it stands for is what must be a host.
	const alias = settings.ssh?.alias === settings.host && settings.ssh.hostName !== settings.host ? settings.ssh : undefined;
	const problems = [
		['--host', alias ? (validateAlias(alias.alias) ?? validateHost(alias.hostName)) : validateHost(settings.host)],
		['--port', validatePort(String(settings.port))],
		['--user', validateUser(settings.user)],
		['--domain', validateDomainName(settings.domain)],
		['--store-endpoint', settings.storeEndpoint ? validateEndpoint(settings.storeEndpoint) : undefined],
	] as const;
	for (const [flag, problem] of problems) if (problem) throw new UserError(`${flag}: ${problem}`, 2);
	return settings;
}
