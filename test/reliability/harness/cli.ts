/**
 * The compiled CLI as a child process the tests can watch and kill: output is
 * collected as it comes, and `until()` polls any condition (a file appearing,
 * a journal line, a stage line on stderr) against a deadline, never a sleep.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { CLI } from '../../support/cli.js';

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
}

export interface SpawnOptions {
	env?: NodeJS.ProcessEnv;
	/** Run under this umask (through /bin/sh), to prove modes do not depend on it. */
	umask?: string;
	/** Working directory (default: this process's). */
	cwd?: string;
	/** Hard limit: the child is SIGKILLed after it, so a hung run fails the test instead of hanging it. */
	timeoutMs?: number;
}

export function spawnCli(args: string[], options: SpawnOptions = {}): Running {
	const env = { ...process.env, NO_COLOR: '1', ...options.env };
	const child = options.umask
		? spawn('/bin/sh', ['-c', `umask ${options.umask} && exec "$0" "$@"`, process.execPath, CLI, ...args], { env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] })
		: spawn(process.execPath, [CLI, ...args], { env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
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
	};
	return running;
}

export async function runToEnd(args: string[], options: SpawnOptions = {}): Promise<Exit> {
	return spawnCli(args, options).exited;
}
