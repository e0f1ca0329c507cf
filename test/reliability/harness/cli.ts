/**
 * The compiled CLI as a child process the tests can watch and kill: output is
 * collected as it comes, and `until()` polls any condition (a file appearing,
 * a journal line, a stage line on stderr) against a deadline, never a sleep.
 * With `pauseAt`, the run stops itself at that named point of its work
 * (source/util/pause-point.ts) and `paused` says so: the kill tests use it to
 * signal a run at an exact place, where polling from outside would miss some.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { CLI } from '../../support/cli.js';
import { whenStopped } from '../../support/stopped.js';

export interface Exit {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

export interface Running {
	child: ChildProcess;
	readonly stdout: string;
	readonly stderr: string;
	/** Settles when the process has exited and its pipes are drained. */
	exited: Promise<Exit>;
	readonly done: boolean;
	/**
	 * Polls `condition` every few milliseconds until it is true (resolves true),
	 * the process exits first (resolves false) or the deadline passes (throws).
	 */
	until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs?: number): Promise<boolean>;
	kill(signal: NodeJS.Signals): Promise<Exit>;
	/** With `pauseAt`: the point's name once the run stopped there, or undefined if it exited without reaching it. */
	paused: Promise<string | undefined>;
	/** Lets a paused run go on with `signal` pending: it is handled right where the run stood. */
	resumeWith(signal: NodeJS.Signals): Promise<Exit>;
}

export interface SpawnOptions {
	env?: NodeJS.ProcessEnv;
	/** Run under this umask (through /bin/sh), to prove modes do not depend on it. */
	umask?: string;
	/** Working directory (default: this process's). */
	cwd?: string;
	/** Hard limit: the child is SIGKILLed after it, so a hung run fails the test instead of hanging it. */
	timeoutMs?: number;
	/** `<point>[#<n>]`: the run stops itself at the n-th pass through that pause point. */
	pauseAt?: string;
}

const PAUSE_FD = 3;

export function spawnCli(args: string[], options: SpawnOptions = {}): Running {
	const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...options.env };
	delete env.DEIS_BACKUP_TEST_PAUSE_AT;
	if (options.pauseAt) Object.assign(env, { DEIS_BACKUP_TEST_PAUSE_AT: options.pauseAt, DEIS_BACKUP_TEST_PAUSE_FD: String(PAUSE_FD) });
	const stdio = ['ignore', 'pipe', 'pipe', ...(options.pauseAt ? ['pipe' as const] : [])] as ('ignore' | 'pipe')[];
	const child = options.umask
		? spawn('/bin/sh', ['-c', `umask ${options.umask} && exec "$0" "$@"`, process.execPath, CLI, ...args], { env, cwd: options.cwd, stdio })
		: spawn(process.execPath, [CLI, ...args], { env, cwd: options.cwd, stdio });
	let stdout = '';
	let stderr = '';
	let done = false;
	child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const limit = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90_000);
	const exited = new Promise<Exit>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (code, signal) => {
			done = true;
			clearTimeout(limit);
			resolve({ code, signal, stdout, stderr });
		});
	});
	// The child writes the point's name, then stops: a line here means it is stopped there.
	const pauseChannel = child.stdio[PAUSE_FD] as NodeJS.ReadableStream | null | undefined;
	const paused = new Promise<string | undefined>((resolve) => {
		if (!pauseChannel) return resolve(undefined);
		let text = '';
		pauseChannel.on('data', (chunk: Buffer) => {
			text += chunk.toString();
			// `<name> <pid>`
			if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')).replace(/ \d+$/, ''));
		});
		void exited.then(() => resolve(undefined), () => resolve(undefined));
	});
	const running: Running = {
		child,
		get stdout() {
			return stdout;
		},
		get stderr() {
			return stderr;
		},
		get done() {
			return done;
		},
		exited,
		async until(condition, what, timeoutMs = 30_000) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				if (await condition()) return true;
				if (done) return false;
				if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\nstderr:\n${stderr}`);
				await delay(3);
			}
		},
		async kill(signal) {
			if (!done) child.kill(signal);
			return exited;
		},
		paused,
		async resumeWith(signal) {
			if (!done && child.pid !== undefined) {
				await whenStopped(child.pid);
				child.kill(signal);
				child.kill('SIGCONT');
			}
			return exited;
		},
	};
	return running;
}

export async function runToEnd(args: string[], options: SpawnOptions = {}): Promise<Exit> {
	return spawnCli(args, options).exited;
}
