/**
 * What OpenSSH's client configuration says about a host: ~/.ssh/config (or
 * the file given with -F) and then /etc/ssh/ssh_config, parsed by the
 * `ssh-config` package, which evaluates Host and Match blocks as ssh does.
 * Given values win over the files, and the files over the defaults, as with
 * ssh. `Match exec` blocks are not run: reading settings must not run commands.
 */
import { readFile } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import SSHConfig from 'ssh-config';
import { UserError } from '../errors.js';
import type { ConnectionSettings, SshConfigured, SshEndpoint } from '../settings.js';
import { validatePort } from '../validate.js';

/** The lower-cased directives this tool reads, as ssh-config's compute() returns them. */
interface HostBlock {
	hostname?: string;
	port?: string;
	user?: string;
	identityfile?: string[];
	identitiesonly?: string;
	proxyjump?: string;
	userknownhostsfile?: string | string[];
	stricthostkeychecking?: string;
	connecttimeout?: string;
}

export interface SshConfigFiles {
	/** The files read, first one first: a value found earlier wins. */
	configs: Array<{ path: string; config: SSHConfig }>;
	home: string;
	localUser: string;
	env: NodeJS.ProcessEnv;
}

export const SYSTEM_SSH_CONFIG = '/etc/ssh/ssh_config';

/** -F FILE must exist, as with ssh; the default files may be absent. ssh reads no system file with -F. */
export async function readSshConfigFiles(file: string | undefined, env: NodeJS.ProcessEnv = process.env, home = homedir()): Promise<SshConfigFiles> {
	const paths = file ? [file] : [join(home, '.ssh', 'config'), SYSTEM_SSH_CONFIG];
	const configs: SshConfigFiles['configs'] = [];
	for (const path of paths) {
		let text: string;
		try {
			text = await readFile(path, 'utf8');
		} catch (error) {
			if (file) throw new UserError(`Cannot read the ssh config file ${file} given with -F (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, 2);
			continue;
		}
		try {
			configs.push({ path, config: SSHConfig.parse(text) });
		} catch (error) {
			throw new UserError(`The ssh config file ${path} cannot be read (${(error as Error).message}); check it with \`ssh -G HOST\`.`, 2);
		}
	}
	return { configs, home, localUser: localUserName(env), env };
}

function localUserName(env: NodeJS.ProcessEnv): string {
	try {
		return userInfo().username;
	} catch {
		return env.USER ?? env.LOGNAME ?? '';
	}
}

/** Each file's answer for the name, merged: the first value of a directive wins; IdentityFile lines add up. */
export function lookupHost(files: SshConfigFiles, alias: string): HostBlock {
	const merged: Record<string, string | string[]> = {};
	for (const { config } of files.configs) {
		const found = config.compute(alias, { ignoreCase: true, matchExec: false });
		for (const [key, value] of Object.entries(found)) {
			if (key === 'identityfile') merged[key] = [...((merged[key] as string[] | undefined) ?? []), ...[value].flat()];
			else merged[key] ??= value;
		}
	}
	return merged as HostBlock;
}

interface TokenValues {
	alias: string;
	hostName: string;
	port: number;
	user: string;
}

/** ssh_config's `~` and %-tokens (ssh_config(5) TOKENS) and ${VAR}, for file names and HostName. */
export function expandTokens(value: string, files: SshConfigFiles, values: TokenValues): string {
	const withHome = value === '~' ? files.home : value.startsWith('~/') ? join(files.home, value.slice(2)) : value;
	const tokens: Record<string, string> = {
		'%': '%',
		d: files.home,
		h: values.hostName,
		n: values.alias,
		p: String(values.port),
		r: values.user,
		u: files.localUser,
		i: String(process.getuid?.() ?? ''),
	};
	return withHome.replace(/%(.)/g, (whole, token: string) => tokens[token] ?? whole).replace(/\$\{(\w+)\}/g, (whole, name: string) => files.env[name] ?? whole);
}

function yes(value: string | undefined): boolean {
	return value !== undefined && /^(yes|true)$/i.test(value);
}

function strictness(value: string | undefined): SshConfigured['strictHostKeyChecking'] {
	if (value === undefined) return undefined;
	const word = value.toLowerCase();
	if (word === 'yes' || word === 'true') return 'yes';
	if (word === 'no' || word === 'off' || word === 'false') return 'no';
	if (word === 'accept-new') return 'accept-new';
	return 'ask';
}

export type HostPort = { host: string; port?: number } | { problem: string };

/**
 * `host`, `host:port`, `[v6]` and `[v6]:port`. A bare IPv6 address is taken
 * whole: its colons are not a port.
 */
export function splitHostPort(value: string): HostPort {
	const text = value.trim();
	const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
	if (bracketed) {
		const [, host = '', port] = bracketed;
		if (port === undefined) return { host };
		const problem = validatePort(port);
		return problem ? { problem: `the port in "${text}" is not valid: ${problem}` } : { host, port: Number(port) };
	}
	if (isIP(text) === 6 || !text.includes(':')) return { host: text };
	const colon = text.lastIndexOf(':');
	const host = text.slice(0, colon);
	const port = text.slice(colon + 1);
	if (host.includes(':')) return { problem: `"${text}" is neither a host name nor an IPv6 address; give the port with --port (an IPv6 address with a port is written [address]:port).` };
	const problem = validatePort(port);
	return problem ? { problem: `the port in "${text}" is not valid: ${problem} Give the port with --port.` } : { host, port: Number(port) };
}

/** One ProxyJump hop: `[user@]host[:port]` or `ssh://[user@]host[:port]`. */
function parseHop(spec: string): { host: string; port?: number; user?: string } {
	const bare = spec.trim().replace(/^ssh:\/\//, '');
	const at = bare.lastIndexOf('@');
	const user = at >= 0 ? bare.slice(0, at) : undefined;
	const split = splitHostPort(at >= 0 ? bare.slice(at + 1) : bare);
	if ('problem' in split) throw new UserError(`ProxyJump ${JSON.stringify(spec)} in the ssh config: ${split.problem}`, 2);
	return { ...split, ...(user ? { user } : {}) };
}

/** Hops deeper than this are a loop in the config (a ProxyJump naming itself). */
const MAX_HOPS = 8;

interface Given {
	port?: number;
	user?: string;
}

/** What the files add to a name: the port and user when none was given, and `ssh`. */
interface Resolved {
	port?: number;
	user?: string;
	ssh: SshConfigured;
}

/** Hops get the flags that are about trust, not the cluster host's own key or port, as `ssh -J` does. */
type Shared = Pick<SshEndpoint, 'knownHosts' | 'acceptNewHostKey' | 'insecureKeyPermissions' | 'sshConfig'>;

function resolveName(files: SshConfigFiles, alias: string, given: Given, shared: Shared, depth: number): Resolved {
	if (depth > MAX_HOPS) throw new UserError(`ProxyJump in the ssh config goes through more than ${MAX_HOPS} hosts for ${alias}; check it for a loop.`, 2);
	const block = lookupHost(files, alias);
	let port = given.port;
	if (port === undefined && block.port !== undefined) {
		const problem = validatePort(block.port);
		if (problem) throw new UserError(`Port ${block.port} for ${alias} in the ssh config: ${problem}`, 2);
		port = Number(block.port);
	}
	const user = given.user ?? block.user;
	const partialTokens = { alias, hostName: alias, port: port ?? 22, user: user ?? '' };
	const hostName = block.hostname ? expandTokens(block.hostname, files, partialTokens) : alias;
	const tokens = { ...partialTokens, hostName };
	const timeout = block.connecttimeout === undefined ? undefined : Number(block.connecttimeout);
	if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0)) throw new UserError(`ConnectTimeout ${block.connecttimeout} for ${alias} in the ssh config is not a whole number of seconds.`, 2);
	const ssh: SshConfigured = {
		alias,
		hostName,
		identityFiles: (block.identityfile ?? []).filter((path) => path.toLowerCase() !== 'none').map((path) => expandTokens(path, files, tokens)),
		identitiesOnly: yes(block.identitiesonly),
		knownHostsFiles: [block.userknownhostsfile ?? []]
			.flat()
			.flatMap((value) => value.split(/\s+/))
			.filter((path) => path !== '' && path.toLowerCase() !== 'none')
			.map((path) => expandTokens(path, files, tokens)),
		strictHostKeyChecking: strictness(block.stricthostkeychecking),
		connectTimeoutMs: timeout === undefined ? undefined : timeout * 1000,
	};
	if (block.proxyjump && block.proxyjump.toLowerCase() !== 'none') {
		// `ProxyJump a,b`: a is reached as its own config says, b through a, this host through b.
		let previous: SshEndpoint | undefined;
		for (const spec of block.proxyjump.split(',')) {
			const hop = parseHop(spec);
			const found = resolveName(files, hop.host, { port: hop.port, user: hop.user }, shared, depth + 1);
			if (previous) found.ssh.jump = previous;
			// A hop is any machine, not a CoreOS one: ssh's defaults, port 22 and the local user.
			previous = { ...shared, host: hop.host, port: found.port ?? 22, user: found.user ?? files.localUser, ssh: found.ssh };
		}
		ssh.jump = previous;
	}
	return { ...(port !== undefined ? { port } : {}), ...(user !== undefined ? { user } : {}), ssh };
}

/**
 * Fills what ssh_config says for the host in `partial`: the port and user when
 * none was given, and `ssh` (HostName, keys, ProxyJump, known_hosts files,
 * StrictHostKeyChecking, ConnectTimeout). Leaves settings already resolved
 * for the same host as they are.
 */
export async function applySshConfig(partial: Partial<ConnectionSettings>, env: NodeJS.ProcessEnv = process.env, home = homedir()): Promise<Partial<ConnectionSettings>> {
	if (!partial.host || partial.ssh?.alias === partial.host) return partial;
	const files = await readSshConfigFiles(partial.sshConfig, env, home);
	const shared: Shared = {};
	for (const key of ['knownHosts', 'acceptNewHostKey', 'insecureKeyPermissions', 'sshConfig'] as const) if (partial[key] !== undefined) (shared as Record<string, unknown>)[key] = partial[key];
	const { port, user, ssh } = resolveName(files, partial.host, { port: partial.port, user: partial.user }, shared, 0);
	return { ...partial, ...(port !== undefined ? { port } : {}), ...(user !== undefined ? { user } : {}), ssh };
}
