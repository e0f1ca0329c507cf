/**
 * One SSH connection to a cluster host, through node-ssh (ssh2 underneath),
 * made as OpenSSH's client makes it: ProxyJump hops, keys from ssh-keys.ts,
 * the host key checked by known-hosts.ts, and a TCP socket of our own so each
 * failure before the handshake is told apart (SshConnectError.failure).
 *
 * Commands go over as argument arrays, quoted here; output either comes back
 * buffered (small answers from deisctl: node-ssh's execCommand) or streams
 * with backpressure (tar, pg_dumpall: ssh2's exec, see stream()) so memory
 * stays flat whatever the size. Tunnels and jumps use node-ssh's forwardOut.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Duplex, Readable, Writable } from 'node:stream';
import type { Config as NodeSshConfig } from 'node-ssh';
import { nodeSsh, type NodeSSH } from './ssh-library.js';
import type { Client } from 'ssh2';
import type { SshConfigured, SshEndpoint } from '../settings.js';
import { messageOf, UserError } from '../errors.js';
import { checkHostKey, fingerprint, knownKeyTypes, readKnownHosts, rememberHostKey, removeCommand, type KnownHostsFile } from './known-hosts.js';
import { DEFAULT_KEY_NAMES, defaultKeyFiles, planKeys, unlockKey, type FileKey, type KeyPlan } from './ssh-keys.js';
import { quoteCommand } from '../util/shell-quote.js';
import { idleTimeoutMs } from './timeouts.js';
import { limiter } from '../util/limit.js';

export interface ExecResult {
	code: number | null;
	signal?: string;
	stdout: string;
	stderr: string;
}

export interface StreamResult {
	code: number | null;
	signal?: string;
	stderr: string;
}

export interface StreamOptions {
	stdout?: Writable;
	stdin?: Readable;
	signal?: AbortSignal;
}

export interface RemoteHost {
	/** user@host:port, for messages. */
	readonly label: string;
	run(argv: readonly string[], stdin?: string): Promise<ExecResult>;
	stream(argv: readonly string[], options: StreamOptions): Promise<StreamResult>;
	/** A TCP connection opened from the host to dstHost:dstPort (ssh -L / -J). */
	openTunnel(dstHost: string, dstPort: number): Promise<Duplex>;
	/** Reaches another cluster machine through this one, as `ssh -J` would. */
	jumpTo(host: string, port?: number): Promise<RemoteHost>;
	close(): Promise<void>;
}

export interface ConnectOptions {
	/** Asked when the host key is not in known_hosts; false stops the run. */
	confirmHostKey?: (hostLabel: string, fingerprint: string) => Promise<boolean>;
	/**
	 * Asks for a key file's passphrase (attempt counts from 1); an empty or
	 * undefined answer skips the key. Absent without a terminal: locked keys are then skipped.
	 */
	askPassphrase?: (keyFile: string, attempt: number) => Promise<string | undefined>;
	/** Warnings about keys (one used despite loose permissions, one skipped), as they happen. */
	onNotice?: (message: string) => void;
	/**
	 * A connection started ahead of its run: until this settles, nothing is
	 * asked (host key, passphrase) and no host key is recorded, so a run that
	 * stops before its Connect step has neither prompted nor written known_hosts.
	 */
	hold?: PromiseLike<void>;
	/** Stops the attempt (TCP connect or handshake); once connected it has no effect. */
	signal?: AbortSignal;
	/** The first handshake is under way (ssh2 loaded, its version sent): from here on the attempt mostly waits on the host. */
	onDial?: () => void;
}

/** Why a connection could not be made, for callers that act on the kind rather than the sentence. */
export type ConnectFailure =
	| 'refused'
	| 'name'
	| 'unreachable'
	| 'connect-timeout'
	| 'handshake-timeout'
	| 'closed-before-handshake'
	| 'host-key'
	| 'no-key'
	| 'auth'
	| 'other';

export class SshConnectError extends UserError {
	constructor(
		readonly failure: ConnectFailure,
		message: string,
	) {
		super(message);
		this.name = 'SshConnectError';
	}
}

export function defaultKnownHosts(): string {
	return join(homedir(), '.ssh', 'known_hosts');
}

/** The TCP connect and the handshake each get this long when ssh_config sets no ConnectTimeout. */
function defaultTimeoutMs(): number {
	return Math.min(15_000, idleTimeoutMs());
}

/**
 * Connects as `ssh` would with the same settings: through ProxyJump's hops
 * when ssh_config names them (the same jump code that reaches the database
 * host), keys in OpenSSH's order, the host key checked against known_hosts.
 */
export async function connectHost(endpoint: SshEndpoint, options: ConnectOptions = {}): Promise<RemoteHost> {
	return connectEndpoint(endpoint, options);
}

async function connectEndpoint(endpoint: SshEndpoint, options: ConnectOptions): Promise<SshHost> {
	const jump = endpoint.ssh?.jump;
	if (jump) {
		const hop = await connectEndpoint(jump, options);
		try {
			return await hop.reach({ ...endpoint, ssh: { ...(endpoint.ssh as SshConfigured), jump: undefined } }, true);
		} catch (error) {
			await hop.close();
			throw error;
		}
	}
	const target = aim(endpoint, options);
	// Dialled before the keys and known_hosts are read and before ssh2 loads (ssh-library.ts):
	// those ~100 ms then overlap the network's round trip and the host's answer.
	const unneeded = new AbortController();
	const dialling = openTcp(target, options.signal ? AbortSignal.any([options.signal, unneeded.signal]) : unneeded.signal);
	// Its failure is reported below, after prepare's; until then it must not count as unhandled.
	dialling.catch(() => undefined);
	let prepared: Prepared;
	try {
		prepared = await prepare(target);
	} catch (error) {
		// Also a dial still waiting on a silent host: its timer would keep the process alive.
		unneeded.abort();
		dialling.then((socket) => socket.destroy(), () => undefined);
		throw error;
	}
	// A key or known_hosts problem is said first, as before the dial moved ahead of them.
	const sock = await dialling;
	sock.off('error', beforeHandshake);
	if (sock.destroyed) throw closedBeforeHandshake(target);
	return handshake(prepared, sock);
}

function beforeHandshake(): void {}

/** Where a connection goes, known before any file is read. */
interface Target {
	endpoint: SshEndpoint;
	/** ssh_config's settings, when they were resolved for this very host. */
	ssh?: SshConfigured;
	options: ConnectOptions;
	/** The address connected to (ssh_config's HostName, else the host). */
	address: string;
	/** address:port, for messages. */
	where: string;
	label: string;
	timeoutMs: number;
}

/** What a connection needs before its first SSH packet: the target, known_hosts, keys. */
interface Prepared extends Target {
	knownHosts: KnownHostsFile[];
	/** The file a new key is recorded in. */
	recordIn: string;
	keys: KeyPlan;
}

function aim(endpoint: SshEndpoint, options: ConnectOptions): Target {
	const ssh = endpoint.ssh?.alias === endpoint.host ? endpoint.ssh : undefined;
	const address = ssh?.hostName ?? endpoint.host;
	return {
		endpoint,
		ssh,
		options,
		address,
		where: `${address}:${endpoint.port}`,
		label: `${endpoint.user}@${endpoint.host}:${endpoint.port}`,
		timeoutMs: ssh?.connectTimeoutMs ?? defaultTimeoutMs(),
	};
}

async function prepare(target: Target): Promise<Prepared> {
	const { endpoint, ssh, options, where } = target;
	const knownHostsPaths = endpoint.knownHosts ? [endpoint.knownHosts] : ssh?.knownHostsFiles.length ? ssh.knownHostsFiles : [defaultKnownHosts()];
	const knownHosts: KnownHostsFile[] = [];
	for (const path of knownHostsPaths) {
		try {
			knownHosts.push({ path, text: await readKnownHosts(path) });
		} catch (error) {
			throw new SshConnectError('host-key', `Cannot read the known hosts file ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}); check --known-hosts.`);
		}
	}
	const named = [...(endpoint.identity ? [{ path: endpoint.identity, source: 'flag' as const }] : []), ...(ssh?.identityFiles ?? []).map((path) => ({ path, source: 'config' as const }))];
	const keys = await planKeys({
		// OpenSSH tries its default key files only when no IdentityFile is named.
		files: named.length > 0 ? named : defaultKeyFiles(),
		identitiesOnly: ssh?.identitiesOnly ?? false,
		insecurePermissions: Boolean(endpoint.insecureKeyPermissions),
		agentSocket: process.env.SSH_AUTH_SOCK || undefined,
	});
	const usable = keys.agent !== undefined || keys.files.some((file) => file.key !== undefined || options.askPassphrase !== undefined);
	if (usable) for (const notice of [...keys.notices, ...keys.skipped]) options.onNotice?.(notice);
	else {
		const locked = keys.files.map((file) => lockedSentence(file.path));
		const reasons = [...keys.skipped, ...locked];
		if (reasons.length > 0) throw new SshConnectError('no-key', `No SSH key can be offered to ${where}. ${reasons.join(' ')}`);
		throw new SshConnectError(
			'no-key',
			`No SSH key to offer to ${where}: no SSH agent is running (SSH_AUTH_SOCK), no IdentityFile is set for it in the ssh config, and none of ~/.ssh/${DEFAULT_KEY_NAMES.join(', ~/.ssh/')} exists; pass --identity with the key for the cluster (Vagrant: ~/.vagrant.d/insecure_private_key).`,
		);
	}
	return { ...target, knownHosts, recordIn: knownHostsPaths[0] as string, keys };
}

function lockedSentence(path: string): string {
	return `The SSH key ${path} is protected by a passphrase and there is no terminal prompt to type it in, so it was skipped; add it to ssh-agent (ssh-add ${path}), or run in a terminal to be asked for it.`;
}

/** The TCP connection of our own, so an address that never answers, refuses or resets is told apart from SSH's own failures. */
function openTcp(target: Target, signal: AbortSignal | undefined): Promise<Socket> {
	const { address, endpoint, timeoutMs } = target;
	return new Promise((resolve, reject) => {
		// Without TCP_NODELAY, SSH's small back-to-back packets (the handshake's, a command's
		// request) wait for the host's delayed ACK: ~40 ms each, as OpenSSH sets it for sessions too.
		const socket = netConnect({ host: address, port: endpoint.port, noDelay: true });
		const timer = setTimeout(() => {
			socket.destroy();
			reject(
				new SshConnectError(
					'connect-timeout',
					`Nothing answered at ${target.where} within ${Math.round(timeoutMs / 1000)} s; check the address and port, that the machine is up, and any firewall or VPN in between (a private address is only reachable from its own network).`,
				),
			);
		}, timeoutMs);
		// With an error, so that `failed` runs and clears the timer that would keep the process alive.
		const abandon = () => socket.destroy(new Error('the run ended before it was needed'));
		signal?.addEventListener('abort', abandon, { once: true });
		socket.once('connect', () => {
			clearTimeout(timer);
			signal?.removeEventListener('abort', abandon);
			socket.off('error', failed);
			// Until the handshake takes the socket (keys read, ssh2 loaded), a reset must not end the
			// process as an unheard 'error': connectEndpoint finds the socket destroyed instead.
			socket.on('error', beforeHandshake);
			resolve(socket);
		});
		const failed = (error: NodeJS.ErrnoException) => {
			clearTimeout(timer);
			signal?.removeEventListener('abort', abandon);
			reject(explainNetworkError(error, target));
		};
		socket.once('error', failed);
		if (signal?.aborted) abandon();
	});
}

function explainNetworkError(error: NodeJS.ErrnoException, target: Target): SshConnectError {
	const { where, address } = target;
	switch (error.code) {
		case 'ECONNREFUSED':
			return new SshConnectError('refused', `Nothing accepts SSH connections at ${where}; check the host and the SSH port (Vagrant: 127.0.0.1, port 2222).`);
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return new SshConnectError('name', `The host name ${address} does not resolve; check --host (or HostName in the ssh config).`);
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
		case 'EADDRNOTAVAIL':
			return new SshConnectError('unreachable', `${where} cannot be reached from this machine (no route to it); check the address, your network and any VPN it needs.`);
		case 'ETIMEDOUT':
			return new SshConnectError('connect-timeout', `Nothing answered at ${where}; check the address and port, that the machine is up, and any firewall or VPN in between.`);
		case 'ECONNRESET':
		case 'EPIPE':
			return closedBeforeHandshake(target);
		default:
			return new SshConnectError('other', `SSH to ${where} failed: ${error.message}.`);
	}
}

function closedBeforeHandshake(target: Target): SshConnectError {
	return new SshConnectError(
		'closed-before-handshake',
		`${target.where} closed the connection before the SSH handshake; check that ${target.endpoint.port} is the SSH port and that the host's sshd accepts connections from here (firewall, MaxStartups, tcp wrappers).`,
	);
}

/** A timer that stops while the operator types a passphrase. */
function pausableTimer(ms: number, fire: () => void) {
	let left = ms;
	let started = Date.now();
	let handle: NodeJS.Timeout | undefined = setTimeout(fire, left);
	return {
		pause() {
			if (!handle) return;
			clearTimeout(handle);
			handle = undefined;
			left -= Date.now() - started;
		},
		resume() {
			if (handle) return;
			started = Date.now();
			handle = setTimeout(fire, Math.max(left, 1000));
		},
		stop() {
			if (handle) clearTimeout(handle);
			handle = undefined;
		},
	};
}

type AuthAttempt = { type: 'agent'; username: string; agent: NonNullable<KeyPlan['agent']> } | { type: 'publickey'; username: string; key: NonNullable<FileKey['key']> };

async function handshake(prepared: Prepared, sock: Duplex, via?: { hop: SshHost; owned: boolean }): Promise<SshHost> {
	const { endpoint, ssh, options, keys, where, label } = prepared;
	if (options.signal?.aborted) {
		sock.destroy();
		throw new SshConnectError('other', `The connection to ${label} was given up: the run ended before it was needed.`);
	}
	let hostKeyProblem: SshConnectError | undefined;
	let phase = 'handshake' as 'handshake' | 'auth';
	let timedOut = false;
	const timer = pausableTimer(prepared.timeoutMs, () => {
		timedOut = true;
		sock.destroy();
	});
	const tried: string[] = [];
	// Said as they happen when someone listens, else as part of a refusal.
	const skipped = options.onNotice ? [] : [...keys.notices, ...keys.skipped];
	const skip = (message: string) => {
		if (options.onNotice) options.onNotice(message);
		else skipped.push(message);
	};

	const unlock = async (file: FileKey): Promise<boolean> => {
		if (!options.askPassphrase) {
			skip(lockedSentence(file.path));
			return false;
		}
		timer.pause();
		try {
			await options.hold;
			for (let attempt = 1; attempt <= 3; attempt += 1) {
				const passphrase = await options.askPassphrase(file.path, attempt);
				if (!passphrase) {
					skip(`No passphrase was given for ${file.path}; it was skipped.`);
					return false;
				}
				if (unlockKey(file, passphrase)) return true;
			}
			skip(`The passphrase for ${file.path} was wrong three times; it was skipped.`);
			return false;
		} finally {
			timer.resume();
		}
	};

	const attempts: Array<() => Promise<AuthAttempt | undefined>> = [];
	if (keys.agent) {
		const agent = keys.agent;
		attempts.push(async () => {
			tried.push(`${keys.agentKeys} from the SSH agent`);
			return { type: 'agent', username: endpoint.user, agent };
		});
	}
	for (const file of keys.files) {
		attempts.push(async () => {
			if (!file.key && !(await unlock(file))) return undefined;
			tried.push(file.path);
			return { type: 'publickey', username: endpoint.user, key: file.key as NonNullable<FileKey['key']> };
		});
	}

	const strict = ssh?.strictHostKeyChecking;
	const acceptNew = Boolean(endpoint.acceptNewHostKey) || strict === 'accept-new' || strict === 'no';
	const config: NodeSshConfig = {
		sock: sock as NodeSshConfig['sock'],
		username: endpoint.user,
		// Our own timer covers the handshake, so a passphrase being typed does not count against it.
		readyTimeout: 0,
		keepaliveInterval: Math.min(10_000, Math.ceil(idleTimeoutMs() / 3)),
		keepaliveCountMax: 3,
		hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
			const check = checkHostKey(prepared.knownHosts, prepared.address, endpoint.port, key);
			const print = fingerprint(key);
			if (check.verdict === 'known') return verify(true);
			if (check.verdict === 'changed' || check.verdict === 'revoked') {
				const what = check.verdict === 'revoked' ? `that key is marked @revoked at ${check.path}:${check.line}` : `the key on record is at ${check.path}:${check.line}`;
				hostKeyProblem = new SshConnectError(
					'host-key',
					`The host key of ${where} has changed (now ${print}); ${what}. If the host was rebuilt and you have checked the new key, remove the old one with \`${removeCommand(check.path, prepared.address, endpoint.port)}\` and run again.`,
				);
				return verify(false);
			}
			timer.pause();
			const accept = Promise.resolve(options.hold).then(() => (acceptNew ? true : strict === 'yes' ? false : (options.confirmHostKey?.(label, print) ?? false)));
			accept.then(
				async (yes) => {
					timer.resume();
					if (!yes) {
						const hint = strict === 'yes' ? 'StrictHostKeyChecking yes in the ssh config refuses unknown hosts; ' : '';
						hostKeyProblem = new SshConnectError(
							'host-key',
							`The host key of ${where} is not in ${prepared.knownHosts.map((file) => file.path).join(' or ')} (it is ${print}); ${hint}check it and run again with --accept-new-host-key.`,
						);
						return verify(false);
					}
					try {
						await rememberHostKey(prepared.recordIn, prepared.address, endpoint.port, key);
					} catch (error) {
						// Unrecorded, the key would be trusted this once and asked about again next time: refuse instead.
						hostKeyProblem = new SshConnectError('host-key', `Cannot record the host key of ${where} in ${prepared.recordIn} (${(error as NodeJS.ErrnoException).code ?? 'error'}); check --known-hosts.`);
						return verify(false);
					}
					verify(true);
				},
				() => verify(false),
			);
		},
		authHandler: (methodsLeft: string[] | null, _partial: boolean | null, next: (attempt: AuthAttempt | false) => void) => {
			phase = 'auth';
			if (methodsLeft && !methodsLeft.includes('publickey')) return next(false);
			void (async () => {
				for (let attempt = attempts.shift(); attempt; attempt = attempts.shift()) {
					const chosen = await attempt();
					if (chosen) return next(chosen);
				}
				next(false);
			})().catch(() => next(false));
		},
	} as NodeSshConfig;
	// Ask for a key type known_hosts already holds for this host, as OpenSSH does, so a
	// host that also has other key types is not mistaken for a changed one.
	config.algorithms = { serverHostKey: hostKeyAlgorithms(knownKeyTypes(prepared.knownHosts, prepared.address, endpoint.port)) as NonNullable<NonNullable<NodeSshConfig['algorithms']>['serverHostKey']> };

	const node = new (nodeSsh().NodeSSH)();
	const abandon = () => sock.destroy();
	options.signal?.addEventListener('abort', abandon, { once: true });
	try {
		const handshaking = node.connect(config);
		// ssh2 has sent its version and waits on the host: what the caller loads now costs no time.
		options.onDial?.();
		await handshaking;
	} catch (error) {
		if (hostKeyProblem) throw hostKeyProblem;
		if (timedOut) {
			throw new SshConnectError(
				'handshake-timeout',
				`${where} accepted the connection but did not complete the SSH handshake within ${Math.round(prepared.timeoutMs / 1000)} s; check that ${endpoint.port} is the SSH port and that the host is not overloaded.`,
			);
		}
		if (phase === 'auth') {
			const offered = tried.length > 0 ? `the key(s) offered (${tried.join(', ')})` : 'no key: none could be used';
			throw new SshConnectError('auth', [`${where} refused ${offered} for user ${endpoint.user}; check --user and the key (CoreOS hosts use the user core).`, ...skipped].join(' '));
		}
		const code = (error as NodeJS.ErrnoException | undefined)?.code;
		if (code && code !== 'ETIMEDOUT') throw explainNetworkError(error as NodeJS.ErrnoException, prepared);
		throw closedBeforeHandshake(prepared);
	} finally {
		timer.stop();
		options.signal?.removeEventListener('abort', abandon);
	}
	if (!node.connection) throw new SshConnectError('other', `Could not connect to ${label}.`);
	return new SshHost(node, node.connection, prepared, via);
}

/** ssh2's host key algorithms, those for the already-known key types first. */
const HOST_KEY_ALGORITHMS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

export function hostKeyAlgorithms(knownTypes: readonly string[]): string[] {
	const preferred = knownTypes.flatMap((type) => (type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type])).filter((algo) => HOST_KEY_ALGORITHMS.includes(algo));
	return [...new Set([...preferred, ...HOST_KEY_ALGORITHMS])];
}

class SshHost implements RemoteHost {
	/** Why the connection ended, when it ended under us (a reset, a keepalive timeout). */
	private lost?: Error;
	private closing = false;
	/** OpenSSH allows 10 sessions per connection (MaxSessions); short commands share a few, leaving room for streams. */
	private readonly sessions = limiter(4);

	readonly label: string;

	constructor(
		private readonly ssh: NodeSSH,
		private readonly client: Client,
		private readonly prepared: Prepared,
		/** The machine this connection goes through; owned when it was opened for this one (ProxyJump). */
		private readonly via?: { hop: SshHost; owned: boolean },
	) {
		this.label = prepared.label;
		// Once connected, errors on the connection are ours to handle: without a listener a reset or
		// a keepalive timeout is an unhandled 'error' event that kills the process with a stack trace.
		// Commands in flight see their channel close; later ones get lostConnection()'s sentence.
		client.on('error', (error: Error) => {
			this.lost ??= error;
		});
		client.on('close', () => {
			if (!this.closing) this.lost ??= new Error('the connection was closed');
		});
	}

	private lostConnection(): UserError {
		const why = this.lost?.message ?? 'the connection was closed';
		return new UserError(`The SSH connection to ${this.label} was lost (${why}); check the network and run the same command again to resume.`);
	}

	async run(argv: readonly string[], stdin?: string): Promise<ExecResult> {
		if (this.lost) throw this.lostConnection();
		let result;
		try {
			result = await this.sessions(() => this.ssh.execCommand(quoteCommand(argv), { stdin, noTrim: true }));
		} catch (error) {
			if (this.lost) throw this.lostConnection();
			throw new UserError(`Could not run a command on ${this.label}: ${messageOf(error)}.`);
		}
		return { code: result.code, signal: result.signal ?? undefined, stdout: result.stdout, stderr: result.stderr };
	}

	/**
	 * ssh2's exec, not node-ssh's execCommand: execCommand keeps every stdout
	 * chunk in memory until the channel closes and reads without backpressure,
	 * which a multi-gigabyte tarball or database dump cannot afford.
	 */
	stream(argv: readonly string[], options: StreamOptions): Promise<StreamResult> {
		if (this.lost) return Promise.reject(this.lostConnection());
		return new Promise((resolve, reject) => {
			this.client.exec(quoteCommand(argv), (error, channel) => {
				if (error) return reject(this.lost ? this.lostConnection() : new UserError(`Could not run a command on ${this.label}: ${error.message}.`));
				let stderr = '';
				let code: number | null = null;
				let signal: string | undefined;
				let outputDone = !options.stdout;
				let closed = false;
				const finish = () => {
					if (closed && outputDone) resolve({ code, signal, stderr });
				};
				const onAbort = () => channel.close();
				options.signal?.addEventListener('abort', onAbort, { once: true });
				channel.stderr.on('data', (chunk: Buffer) => {
					// Only the tail matters for messages; keep memory bounded.
					stderr = (stderr + chunk.toString('utf8')).slice(-16_384);
				});
				channel.on('exit', (exitCode: number | null, exitSignal?: string) => {
					code = exitCode;
					signal = exitSignal ?? undefined;
				});
				channel.on('close', () => {
					options.signal?.removeEventListener('abort', onAbort);
					closed = true;
					finish();
				});
				if (options.stdout) {
					const out = options.stdout;
					channel.pipe(out, { end: false });
					channel.on('end', () => {
						outputDone = true;
						finish();
					});
					out.on('error', (err) => {
						channel.close();
						reject(err);
					});
				} else {
					channel.resume();
				}
				if (options.stdin) {
					options.stdin.on('error', (err) => {
						channel.close();
						reject(err);
					});
					options.stdin.pipe(channel);
				} else {
					channel.end();
				}
			});
		});
	}

	async openTunnel(dstHost: string, dstPort: number): Promise<Duplex> {
		try {
			return await this.ssh.forwardOut('127.0.0.1', 0, dstHost, dstPort);
		} catch (error) {
			throw new UserError(`${this.label} could not open a connection to ${dstHost}:${dstPort}: ${messageOf(error)}.`);
		}
	}

	/** Another cluster machine, reached with this one's user, keys and known_hosts. */
	jumpTo(host: string, port = 22): Promise<RemoteHost> {
		const own = this.prepared.endpoint;
		const ssh = own.ssh && { ...own.ssh, alias: host, hostName: host, jump: undefined };
		return this.reach({ ...own, host, port, ssh }, false);
	}

	/** The jump itself (`ssh -J`), for the database's machine and for ProxyJump alike. */
	async reach(target: SshEndpoint, owned: boolean): Promise<SshHost> {
		const prepared = await prepare(aim(target, this.prepared.options));
		const sock = await this.openTunnel(prepared.address, target.port);
		return handshake(prepared, sock, { hop: this, owned });
	}

	async close(): Promise<void> {
		this.closing = true;
		this.ssh.dispose();
		if (this.via?.owned) await this.via.hop.close();
	}
}
