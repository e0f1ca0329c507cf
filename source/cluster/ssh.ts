/**
 * One SSH connection to a cluster host, through node-ssh (ssh2 underneath).
 *
 * Commands go over as argument arrays, quoted here; output either comes back
 * buffered (small answers from deisctl) or streams with backpressure (tar,
 * pg_dumpall) so memory stays flat whatever the size.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Duplex, Readable, Writable } from 'node:stream';
import { NodeSSH, type Config as NodeSshConfig } from 'node-ssh';
import type { Client } from 'ssh2';
import type { ConnectionSettings } from '../config/settings.js';
import { UserError } from '../errors.js';
import { checkHostKey, fingerprint, knownKeyTypes, readKnownHosts, rememberHostKey } from './known-hosts.js';
import { quoteCommand } from './shell-quote.js';
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
	/** An already-open stream to the host (a jump through another host). */
	sock?: Duplex;
	readyTimeoutMs?: number;
}

export function defaultKnownHosts(): string {
	return join(homedir(), '.ssh', 'known_hosts');
}

export async function connectHost(settings: ConnectionSettings, options: ConnectOptions = {}): Promise<RemoteHost> {
	const label = `${settings.user}@${settings.host}:${settings.port}`;
	const knownHostsFile = settings.knownHosts ?? defaultKnownHosts();
	let knownText: string;
	try {
		knownText = await readKnownHosts(knownHostsFile);
	} catch (error) {
		throw new UserError(`Cannot read the known hosts file ${knownHostsFile} (${(error as NodeJS.ErrnoException).code ?? 'error'}); check --known-hosts.`);
	}
	let hostKeyProblem: UserError | undefined;

	const config: NodeSshConfig = {
		host: settings.host,
		port: settings.port,
		username: settings.user,
		// A silent host (a stalled link, a dead NAT entry) is given up on after about the idle timeout.
		readyTimeout: options.readyTimeoutMs ?? Math.min(15_000, idleTimeoutMs()),
		keepaliveInterval: Math.min(10_000, Math.ceil(idleTimeoutMs() / 3)),
		keepaliveCountMax: 3,
		hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
			const verdict = checkHostKey(knownText, settings.host, settings.port, key);
			const print = fingerprint(key);
			if (verdict === 'known') return verify(true);
			if (verdict === 'changed') {
				hostKeyProblem = new UserError(
					`The host key of ${settings.host}:${settings.port} has changed (now ${print}); if the host was rebuilt, remove its old line from ${knownHostsFile} and run again.`,
				);
				return verify(false);
			}
			const accept = settings.acceptNewHostKey
				? Promise.resolve(true)
				: (options.confirmHostKey?.(label, print) ?? Promise.resolve(false));
			accept.then(
				async (yes) => {
					if (!yes) {
						hostKeyProblem = new UserError(
							`The host key of ${settings.host}:${settings.port} is not in ${knownHostsFile} (it is ${print}); check it and run again with --accept-new-host-key.`,
						);
						return verify(false);
					}
					try {
						await rememberHostKey(knownHostsFile, settings.host, settings.port, key);
					} catch (error) {
						// Unrecorded, the key would be trusted this once and asked about again next time: refuse instead.
						hostKeyProblem = new UserError(`Cannot record the host key of ${settings.host}:${settings.port} in ${knownHostsFile} (${(error as NodeJS.ErrnoException).code ?? 'error'}); check --known-hosts.`);
						return verify(false);
					}
					verify(true);
				},
				() => verify(false),
			);
		},
	};
	if (options.sock) config.sock = options.sock as NodeSshConfig['sock'];
	// Ask for a key type known_hosts already holds for this host, as OpenSSH does, so a
	// host that also has other key types is not mistaken for a changed one.
	config.algorithms = { serverHostKey: hostKeyAlgorithms(knownKeyTypes(knownText, settings.host, settings.port)) as NonNullable<NonNullable<NodeSshConfig['algorithms']>['serverHostKey']> };

	if (settings.identity) {
		try {
			config.privateKey = await readFile(settings.identity, 'utf8');
		} catch {
			throw new UserError(`Cannot read the SSH key ${settings.identity}; check the path given with --identity.`);
		}
	} else if (process.env.SSH_AUTH_SOCK) {
		config.agent = process.env.SSH_AUTH_SOCK;
	} else {
		throw new UserError('No SSH key given and no SSH agent running; pass --identity with the key for the cluster (Vagrant: ~/.vagrant.d/insecure_private_key).');
	}

	const ssh = new NodeSSH();
	try {
		await ssh.connect(config);
	} catch (error) {
		throw hostKeyProblem ?? explainConnectError(error, settings);
	}
	if (!ssh.connection) throw new UserError(`Could not connect to ${label}.`);
	return new SshHost(ssh, ssh.connection, label, settings);
}

/** ssh2's host key algorithms, those for the already-known key types first. */
const HOST_KEY_ALGORITHMS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

export function hostKeyAlgorithms(knownTypes: readonly string[]): string[] {
	const preferred = knownTypes.flatMap((type) => (type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type])).filter((algo) => HOST_KEY_ALGORITHMS.includes(algo));
	return [...new Set([...preferred, ...HOST_KEY_ALGORITHMS])];
}

export function explainConnectError(error: unknown, settings: ConnectionSettings): UserError {
	const where = `${settings.host}:${settings.port}`;
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	const text = error instanceof Error ? error.message : String(error);
	if (code === 'ECONNREFUSED') return new UserError(`Nothing accepts SSH connections at ${where}; check the host and the SSH port (Vagrant: 127.0.0.1, port 2222).`);
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new UserError(`The host name ${settings.host} does not resolve; check --host.`);
	if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new UserError(`${where} cannot be reached from this machine; check the host and your network.`);
	if (/authentication methods failed/i.test(text)) {
		return new UserError(`${where} refused the SSH key for user ${settings.user}; check --user and --identity (CoreOS hosts use the user core).`);
	}
	if (/timed out/i.test(text) || code === 'ETIMEDOUT') return new UserError(`SSH to ${where} timed out; check the host, the port and any firewall in between.`);
	if (/privateKey|parse/i.test(text)) return new UserError(`The SSH key ${settings.identity ?? ''} could not be read as a private key; check --identity.`);
	return new UserError(`SSH to ${where} failed: ${text}.`);
}

class SshHost implements RemoteHost {
	/** Why the connection ended, when it ended under us (a reset, a keepalive timeout). */
	private lost?: Error;
	private closing = false;
	/** OpenSSH allows 10 sessions per connection (MaxSessions); short commands share a few, leaving room for streams. */
	private readonly sessions = limiter(4);

	constructor(
		private readonly ssh: NodeSSH,
		private readonly client: Client,
		readonly label: string,
		private readonly settings: ConnectionSettings,
	) {
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
			throw new UserError(`Could not run a command on ${this.label}: ${error instanceof Error ? error.message : String(error)}.`);
		}
		return { code: result.code, signal: result.signal ?? undefined, stdout: result.stdout, stderr: result.stderr };
	}

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

	openTunnel(dstHost: string, dstPort: number): Promise<Duplex> {
		return new Promise((resolve, reject) => {
			this.client.forwardOut('127.0.0.1', 0, dstHost, dstPort, (error, channel) => {
				if (error) return reject(new UserError(`${this.label} could not open a connection to ${dstHost}:${dstPort}: ${error.message}.`));
				resolve(channel);
			});
		});
	}

	async jumpTo(host: string, port = 22): Promise<RemoteHost> {
		const sock = await this.openTunnel(host, port);
		return connectHost({ ...this.settings, host, port }, { sock });
	}

	async close(): Promise<void> {
		this.closing = true;
		this.ssh.dispose();
	}
}
