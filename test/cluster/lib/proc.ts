/**
 * Running commands and managing the cluster's daemons.
 *
 * Daemons are started in their own session with stdio going to a log file and
 * every other inherited fd closed: a test runner waiting on a pipe would
 * otherwise never see EOF. They are stopped by the pid we recorded (checked
 * against the process start time, so a recycled pid is never signalled).
 */
import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { LOOPBACK, paths } from './paths.js';

export interface RunOptions {
	/** Return the result instead of throwing on a non-zero exit. */
	allowFail?: boolean;
}

export interface RunResult {
	code: number;
	stdout: string;
	stderr: string;
}

export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
	return new Promise((resolvePromise, reject) => {
		const child = execFile(
			cmd,
			args,
			{ maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' },
			(error, stdout, stderr) => {
				const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
				if (code !== 0 && !opts.allowFail) {
					reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.trim() || stdout.trim()}`));
					return;
				}
				resolvePromise({ code, stdout, stderr });
			},
		);
		// No input for these commands; one that exits early must not raise EPIPE here.
		child.stdin?.on('error', () => {});
		child.stdin?.end();
	});
}

/** run() with the command given as one argv array. */
export function runArgv(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
	const [cmd, ...args] = argv;
	if (!cmd) throw new Error('empty command');
	return run(cmd, args, opts);
}

/**
 * argv that runs as another user (postgres) while we are root; setpriv and env
 * exec, so pids stay the daemon's. It starts in / because the checkout (our
 * cwd) may be in a folder that user cannot enter, and initdb gives up when it
 * cannot return to its starting directory.
 */
export function asUser(user: string, argv: readonly string[]): string[] {
	return ['setpriv', `--reuid=${user}`, `--regid=${user}`, '--init-groups', 'env', '-C', '/', ...argv];
}

// Closes every fd above 2 that the daemon would inherit, then becomes the daemon.
const CLOSE_FDS_AND_EXEC =
	'for fd in /proc/self/fd/*; do fd=${fd##*/}; if [ "$fd" -gt 2 ]; then { eval "exec $fd>&-"; } 2>/dev/null; fi; done; exec "$@"';

function pidFile(name: string): string {
	return join(paths.pids, `${name}.pid`);
}

export function logFile(name: string): string {
	return join(paths.logs, `${name}.log`);
}

/** Starts argv detached in its own session; records `<pid>\n<start time>` in pids/<name>.pid. */
export function startDaemon(name: string, argv: readonly string[]): number {
	mkdirSync(paths.pids, { recursive: true });
	mkdirSync(paths.logs, { recursive: true });
	const log = openSync(logFile(name), 'a');
	try {
		const child = spawn('bash', ['-c', CLOSE_FDS_AND_EXEC, name, ...argv], {
			detached: true,
			stdio: ['ignore', log, log],
		});
		child.unref();
		const pid = child.pid;
		if (pid === undefined) throw new Error(`could not start ${name} (${argv[0]})`);
		writeFileSync(pidFile(name), `${pid}\n${startTime(pid) ?? ''}\n`);
		return pid;
	} finally {
		closeSync(log);
	}
}

interface ProcStat {
	state: string;
	ppid: number;
	startTime: string;
}

function procStat(pid: number): ProcStat | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// comm (field 2) may contain spaces and parentheses: parse after the last ')'.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return { state: fields[0] ?? '?', ppid: Number(fields[1]), startTime: fields[19] ?? '' };
	} catch {
		return undefined;
	}
}

function startTime(pid: number): string | undefined {
	return procStat(pid)?.startTime;
}

/** Alive = exists, is not a zombie (kill -0 succeeds on zombies) and, if known, started when we recorded. */
function isRunning(pid: number, expectedStart?: string): boolean {
	const stat = procStat(pid);
	if (!stat || stat.state === 'Z' || stat.state === 'X') return false;
	return !expectedStart || stat.startTime === expectedStart;
}

function readPid(name: string): { pid: number; start?: string } | undefined {
	const file = pidFile(name);
	if (!existsSync(file)) return undefined;
	const [pidText, start] = readFileSync(file, 'utf8').split('\n');
	const pid = Number(pidText);
	if (!Number.isInteger(pid) || pid <= 1) return undefined;
	return { pid, start: start || undefined };
}

export function daemonRunning(name: string): boolean {
	const rec = readPid(name);
	return rec !== undefined && isRunning(rec.pid, rec.start);
}

/** Stops the daemon recorded under `name` by pid; SIGKILL after the timeout. Idempotent. */
export async function stopDaemon(name: string, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 8000): Promise<void> {
	const rec = readPid(name);
	if (rec && isRunning(rec.pid, rec.start)) {
		signalPid(rec.pid, signal);
		const exited = await pollUntil(() => !isRunning(rec.pid, rec.start), timeoutMs);
		if (!exited) signalPid(rec.pid, 'SIGKILL');
		await pollUntil(() => !isRunning(rec.pid, rec.start), 3000);
		// Helpers left in its process group (nginx workers) go too.
		// The group id cannot be reused while members exist, so this only reaches our processes.
		signalPid(-rec.pid, 'SIGKILL');
	}
	rmSync(pidFile(name), { force: true });
}

/**
 * Signals the processes the daemon forked itself (e.g. sshd's per-connection
 * processes, which live in sessions of their own and outlive the listener).
 */
export function signalChildren(name: string, signal: NodeJS.Signals): void {
	const rec = readPid(name);
	if (!rec || !isRunning(rec.pid, rec.start)) return;
	for (const entry of readdirSync('/proc')) {
		const pid = Number(entry);
		if (Number.isInteger(pid) && procStat(pid)?.ppid === rec.pid) signalPid(pid, signal);
	}
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(pid, signal);
	} catch {
		// already gone
	}
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns true or the deadline passes; returns whether it succeeded. */
export async function pollUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 25): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			if (await check()) return true;
		} catch {
			// not ready yet
		}
		if (Date.now() >= deadline) return false;
		await sleep(intervalMs);
	}
}

/** Like pollUntil but throws a clear error naming what did not become ready (and its log). */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, log?: string): Promise<void> {
	if (await pollUntil(check, timeoutMs)) return;
	const tail = log && existsSync(log) ? `\n--- ${log} (tail) ---\n${readFileSync(log, 'utf8').split('\n').slice(-15).join('\n')}` : '';
	throw new Error(`${what} not ready after ${timeoutMs} ms${tail}`);
}

function portFree(port: number): Promise<boolean> {
	return new Promise((resolvePromise) => {
		const server = createServer();
		server.once('error', () => resolvePromise(false));
		server.listen({ port, host: LOOPBACK, exclusive: true }, () => server.close(() => resolvePromise(true)));
	});
}

export async function assertPortsFree(wanted: Record<string, number>): Promise<void> {
	const busy: string[] = [];
	for (const [name, port] of Object.entries(wanted)) {
		if (!(await portFree(port))) busy.push(`${port} (${name})`);
	}
	if (busy.length > 0) {
		throw new Error(
			`cannot start the test cluster: port(s) ${busy.join(', ')} already in use on ${LOOPBACK}. ` +
				'Stop whatever listens there (see `ss -ltnp`), e.g. a system nginx or etcd started by apt.',
		);
	}
}
