/**
 * Runs store gateways in a child process (child.ts / child.js beside this
 * file), shared by every demo cluster of this process and ended with the last
 * one. Works from the TypeScript sources under tsx and from tsc's output.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface GatewayProcess {
	/** s3rver's own port (the router proxies to it). */
	port: number;
	/** The gateway child's pid (shared with other clusters of this process). */
	pid: number;
	stop(): Promise<void>;
}

type Reply = { type: 'ready' } | { type: 'started'; id: number; port: number } | { type: 'stopped'; id: number } | { type: 'error'; id?: number; message: string };

interface Host {
	child: ChildProcess;
	ready: Promise<void>;
	users: number;
	waiting: Map<number, { resolve(r: Reply): void; reject(e: Error): void }>;
}

let host: Host | undefined;
let nextId = 1;

function spawnHost(): Host {
	const fromSource = import.meta.url.endsWith('.ts');
	const entry = fileURLToPath(new URL(fromSource ? './child.ts' : './child.js', import.meta.url));
	// tsx is resolved from here, so the child loads it whatever the working directory
	const execArgv = ['--openssl-legacy-provider', ...(fromSource ? ['--import', import.meta.resolve('tsx')] : [])];
	const child = fork(entry, [], { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
	let stderr = '';
	child.stderr?.on('data', (c: Buffer) => {
		stderr = (stderr + c.toString()).slice(-4000);
	});
	const h: Host = { child, users: 0, waiting: new Map(), ready: Promise.resolve() };
	h.ready = new Promise<void>((resolve, reject) => {
		const failAll = (e: Error) => {
			reject(e);
			for (const w of h.waiting.values()) w.reject(e);
			h.waiting.clear();
			if (host === h) host = undefined;
		};
		child.once('error', failAll);
		child.once('exit', (code, signal) => failAll(new Error(`demo store gateway exited (${code ?? signal})\n${stderr}`)));
		child.on('message', (m: Reply) => {
			if (m.type === 'ready') return resolve();
			const w = m.id === undefined ? undefined : h.waiting.get(m.id);
			if (!w) return;
			if (m.id !== undefined) h.waiting.delete(m.id);
			if (m.type === 'error') w.reject(new Error(`demo store gateway: ${m.message}`));
			else w.resolve(m);
		});
	});
	return h;
}

function request(h: Host, id: number, message: Record<string, unknown>): Promise<Reply> {
	return new Promise((resolve, reject) => {
		h.waiting.set(id, { resolve, reject });
		h.child.send({ ...message, id });
	});
}

export async function startGatewayProcess(opts: { directory: string; accessKey: string; secretKey: string }): Promise<GatewayProcess> {
	const h = (host ??= spawnHost());
	h.users++;
	const id = nextId++;
	try {
		await h.ready;
		const reply = await request(h, id, { type: 'start', ...opts });
		if (reply.type !== 'started') throw new Error('demo store gateway: unexpected reply');
		let stopped: Promise<void> | undefined;
		return { port: reply.port, pid: h.child.pid ?? -1, stop: () => (stopped ??= release(h, id)) };
	} catch (e) {
		await release(h, undefined);
		throw e;
	}
}

async function release(h: Host, id: number | undefined): Promise<void> {
	const alive = h.child.exitCode === null && h.child.signalCode === null;
	if (id !== undefined && alive) await request(h, id, { type: 'stop' }).catch(() => {});
	if (--h.users > 0) return;
	if (host === h) host = undefined;
	if (h.child.exitCode !== null || h.child.signalCode !== null) return;
	await new Promise<void>((resolve) => {
		h.child.once('exit', () => resolve());
		h.child.kill('SIGTERM');
	});
}
