/**
 * The demo host's SSH side: an ssh2 server that accepts one generated key for
 * `core`, parses each exec'd command string like a shell would and hands the
 * words to the host's command table.
 */
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { Writable } from 'node:stream';
import ssh2 from 'ssh2';
import type { Connection, ServerChannel } from 'ssh2';
import { runCommand } from './host/index.js';
import type { HostState } from './host/types.js';
import { parseShellWords } from './shell-words.js';
import { messageOf } from '../errors.js';

export interface DemoLogEntry {
	/** The command string as received over SSH. */
	command: string;
	/** Its words, or null when the string was refused as unsupported shell syntax. */
	argv: string[] | null;
	/** Exit status, once the command has finished. */
	exit?: number;
}

export interface SshHostOptions {
	hostKey: string;
	/** The one public key (OpenSSH line) allowed to log in. */
	clientPublicKey: string;
	user: string;
	host: HostState;
	log: DemoLogEntry[];
}

export interface SshHost {
	port: number;
	close(): Promise<void>;
}

const { Server, utils } = ssh2;

export async function startSshHost(opts: SshHostOptions): Promise<SshHost> {
	const allowed = utils.parseKey(opts.clientPublicKey);
	if (allowed instanceof Error) throw allowed;
	const allowedBlob = allowed.getPublicSSH();
	const clients = new Set<Connection>();
	const running = new Set<AbortController>();

	const server = new Server({ hostKeys: [opts.hostKey] }, (client) => {
		clients.add(client);
		client.on('close', () => clients.delete(client));
		client.on('error', () => {}); // a client dropping mid-session is not the host's problem
		client.on('authentication', (ctx) => {
			if (ctx.method !== 'publickey' || ctx.username !== opts.user) return ctx.reject(['publickey']);
			const blob = ctx.key.data;
			if (ctx.key.algo !== allowed.type || blob.length !== allowedBlob.length || !timingSafeEqual(blob, allowedBlob)) {
				return ctx.reject(['publickey']);
			}
			// without a signature the client only asks whether the key would do
			if (!ctx.signature || !ctx.blob) return ctx.accept();
			return allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true ? ctx.accept() : ctx.reject(['publickey']);
		});
		client.on('ready', () => {
			client.on('session', (acceptSession) => {
				const session = acceptSession();
				session.on('env', (accept) => accept?.());
				session.on('pty', (accept) => accept?.());
				session.on('window-change', (accept) => accept?.());
				session.on('exec', (accept, _reject, info) => {
					const channel = accept();
					void execute(channel, info.command, opts, running);
				});
				session.on('shell', (accept) => {
					const channel = accept();
					void shell(channel, opts, running);
				});
				session.on('subsystem', (_accept, reject) => reject?.());
			});
		});
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const port = (server.address() as AddressInfo).port;

	return {
		port,
		close: async () => {
			for (const c of running) c.abort();
			for (const c of clients) c.end();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

async function execute(channel: ServerChannel, command: string, opts: SshHostOptions, running: Set<AbortController>): Promise<void> {
	const entry: DemoLogEntry = { command, argv: null };
	opts.log.push(entry);
	const parsed = parseShellWords(command);
	let code: number;
	const abort = new AbortController();
	running.add(abort);
	const gone = () => abort.abort();
	channel.once('close', gone);
	try {
		if (!parsed.ok) {
			channel.stderr.write(`demo host: unsupported shell syntax (${parsed.reason})\n`);
			code = 127;
		} else {
			entry.argv = parsed.argv;
			code = await runCommand(
				{ argv: parsed.argv, stdin: channel, stdout: channel, stderr: channel.stderr, root: false, login: false, env: {}, signal: abort.signal },
				opts.host,
			);
		}
	} catch (e) {
		channel.stderr.write(`demo host: internal error: ${messageOf(e)}\n`);
		code = 70;
	}
	entry.exit = code;
	running.delete(abort);
	await finish(channel, code);
	channel.off('close', gone);
}

/**
 * The exit status must follow every byte of output (ssh2 sends it at once,
 * while data may still wait for window space), and precede EOF/close.
 */
async function finish(channel: ServerChannel, code: number): Promise<void> {
	const closed = new Promise<void>((resolve) => channel.once('close', resolve));
	await Promise.race([Promise.all([flushed(channel), flushed(channel.stderr)]), closed]);
	channel.exit(code);
	channel.end();
}

/** A zero-length write completes only after every earlier write has gone out. */
function flushed(stream: Writable): Promise<void> {
	return new Promise((resolve) => {
		if (!stream.writable) return resolve();
		stream.write(Buffer.alloc(0), () => resolve());
	});
}

/** A minimal login shell: one command per line, `exit` to leave. Enough for `nse`. */
async function shell(channel: ServerChannel, opts: SshHostOptions, running: Set<AbortController>): Promise<void> {
	const prompt = `core@${opts.host.hostname} ~ $ `;
	const abort = new AbortController();
	running.add(abort);
	channel.once('close', () => abort.abort());
	channel.write(`CoreOS (deis-backup demo host)\n${prompt}`);
	let buffered = '';
	// destroyOnReturn off: leaving the loop must not close the channel before the exit status
	reading: for await (const chunk of channel.iterator({ destroyOnReturn: false })) {
		buffered += String(chunk).replace(/\r/g, '\n');
		let nl: number;
		while ((nl = buffered.indexOf('\n')) >= 0) {
			const line = buffered.slice(0, nl).trim();
			buffered = buffered.slice(nl + 1);
			if (line === 'exit' || line === 'logout') break reading;
			if (line) await shellLine(channel, line, opts, abort.signal);
			channel.write(prompt);
		}
	}
	running.delete(abort);
	await finish(channel, 0);
}

async function shellLine(channel: ServerChannel, line: string, opts: SshHostOptions, signal: AbortSignal): Promise<void> {
	const parsed = parseShellWords(line);
	const entry: DemoLogEntry = { command: line, argv: parsed.ok ? parsed.argv : null };
	opts.log.push(entry);
	if (!parsed.ok) {
		channel.write(`demo host: unsupported shell syntax (${parsed.reason})\n`);
		entry.exit = 127;
		return;
	}
	// the shell keeps its stdin for itself: commands typed here read nothing
	const stdin = Readable.from([]);
	entry.exit = await runCommand({ argv: parsed.argv, stdin, stdout: channel, stderr: channel.stderr, root: false, login: true, env: {}, signal }, opts.host);
}
