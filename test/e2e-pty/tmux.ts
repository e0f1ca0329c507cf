/**
 * A pseudo-terminal for end-to-end tests: the compiled binary runs in a tmux
 * pane on a private socket, keys go in with send-keys, the screen comes back
 * with capture-pane. Every wait polls the screen against a deadline.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { whenStopped } from '../support/stopped.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** The compiled binary; DEIS_BACKUP_E2E_CLI points the tests at another build. */
export const CLI = process.env.DEIS_BACKUP_E2E_CLI ?? join(REPO, 'dist', 'cli.js');

const POLL_MS = 40;

/** tmux with its socket folder (TMUX_TMPDIR) inside `dir`, so nothing of it outlives the pane's folder. */
function tmux(dir: string, args: string[], timeoutMs = 10_000): Promise<string> {
	const { TMUX: _inside, ...env } = process.env;
	return new Promise((resolve, reject) => {
		execFile('tmux', args, { env: { ...env, TMUX_TMPDIR: dir }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
			if (error) reject(new Error(`tmux ${args.join(' ')}: ${stderr || error.message}`));
			else resolve(stdout);
		});
	});
}

export interface PaneOptions {
	/** The program and its arguments; passed as arguments, never parsed by a shell. */
	argv: string[];
	cwd?: string;
	/** The whole environment of the program (nothing is inherited). */
	env: NodeJS.ProcessEnv;
	width?: number;
	height?: number;
}

export type Match = string | RegExp | ((screen: string) => boolean);

/** The screen with Ink's own line breaks folded into spaces, for sentences that wrap. */
export function flat(screen: string): string {
	return screen.replace(/\s+/g, ' ');
}

function matches(screen: string, match: Match): boolean {
	if (typeof match === 'function') return match(screen);
	if (typeof match === 'string') return screen.includes(match) || flat(screen).includes(match);
	return match.test(screen) || match.test(flat(screen));
}

/** One program in one tmux pane, on a server of its own. */
export class Pane {
	readonly socket: string;
	private readonly dir: string;
	private closed = false;

	private constructor(socket: string, dir: string) {
		this.socket = socket;
		this.dir = dir;
	}

	static async start(options: PaneOptions): Promise<Pane> {
		const socket = `deis-backup-e2e-${process.pid}-${randomBytes(4).toString('hex')}`;
		const dir = await mkdtemp(join(tmpdir(), 'deis-backup-tmux-'));
		// A config of our own: the pane stays after the program exits, so its exit status can be read.
		const conf = join(dir, 'tmux.conf');
		await writeFile(conf, 'set -g remain-on-exit on\nset -g remain-on-exit-format ""\nset -g status off\nset -g history-limit 2000\n');
		const pane = new Pane(socket, dir);
		const env = Object.entries(options.env)
			.filter(([, value]) => value !== undefined)
			.map(([key, value]) => `${key}=${value}`);
		// A shell waits for the program and writes its exit status to a file: tmux
		// 3.3a now and then leaves an exited pane program unreaped, never "dead".
		// Its INT trap (a command, not "ignore") keeps it alive through a Ctrl-C
		// outside raw mode without changing how the program itself sees SIGINT.
		const wrapper = `trap 'true' INT; "$@"; echo "$?" > ${shellQuote(pane.statusFile)}`;
		await tmux(dir, [
			'-L', socket, '-f', conf,
			'new-session', '-d', '-s', 'e2e',
			'-x', String(options.width ?? 120), '-y', String(options.height ?? 45),
			...(options.cwd ? ['-c', options.cwd] : []),
			// env -i: the program sees exactly the environment given, not the tmux server's.
			'env', '-i', ...env, '/bin/sh', '-c', wrapper, 'sh', ...options.argv,
		]);
		return pane;
	}

	/** The visible screen as text; with colours, the ANSI escapes tmux would redraw it with. */
	async screen(colours = false): Promise<string> {
		return tmux(this.dir, ['-L', this.socket, 'capture-pane', '-p', ...(colours ? ['-e'] : []), '-t', 'e2e']);
	}

	/** The whole pane as text, from the start of its scrollback to the last line of the screen. */
	async history(): Promise<string> {
		return tmux(this.dir, ['-L', this.socket, 'capture-pane', '-p', '-J', '-S', '-', '-t', 'e2e']);
	}

	/** From now on, appends every byte the program writes to `file`, escape sequences included. */
	async record(file: string): Promise<void> {
		await tmux(this.dir, ['-L', this.socket, 'pipe-pane', '-o', '-t', 'e2e', `cat >> ${shellQuote(file)}`]);
	}

	/** Types text literally (no key names). */
	async type(text: string): Promise<void> {
		await tmux(this.dir, ['-L', this.socket, 'send-keys', '-t', 'e2e', '-l', text]);
	}

	/** Presses keys by tmux name: Enter, Down, C-c, C-u, BSpace… */
	async press(...keys: string[]): Promise<void> {
		for (const key of keys) await tmux(this.dir, ['-L', this.socket, 'send-keys', '-t', 'e2e', key]);
	}

	/**
	 * Types an answer, waits until the prompt shows it, then presses Enter: text
	 * and Enter sent together can reach the program as one chunk, which the
	 * prompts read as a paste (newlines dropped, nothing submitted).
	 */
	async answer(text: string): Promise<void> {
		if (text !== '') {
			await this.type(text);
			await this.waitFor((screen) => screen.split('\n').some((line) => line.trimEnd().endsWith(`› ${text}`)), 5000);
		}
		await this.press('Enter');
	}

	/** Resolves with the first screen that matches; rejects at the deadline with the last screen. */
	async waitFor(match: Match, timeoutMs = 15_000): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		let last = '';
		for (;;) {
			last = await this.screen();
			if (matches(last, match)) return last;
			const exit = await this.exitCode();
			if (exit !== undefined) {
				last = await this.screen();
				if (matches(last, match)) return last;
				throw new Error(`the program exited (status ${exit}) before the screen showed ${String(match)}; last screen:\n${trimScreen(last)}`);
			}
			if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(match)}; last screen:\n${trimScreen(last)}`);
			await sleep(POLL_MS);
		}
	}

	private get statusFile(): string {
		return join(this.dir, 'status');
	}

	/** The program's exit status once it has exited (128 + the signal number when a signal ended it), else undefined. */
	async exitCode(): Promise<number | undefined> {
		const text = await readFile(this.statusFile, 'utf8').catch(() => undefined);
		if (text === undefined || !text.endsWith('\n')) return undefined;
		return Number(text.trim());
	}

	async waitForExit(timeoutMs = 15_000): Promise<number> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const code = await this.exitCode();
			if (code !== undefined) return code;
			if (Date.now() > deadline) throw new Error(`the program did not exit within ${timeoutMs} ms; last screen:\n${trimScreen(await this.screen())}`);
			await sleep(POLL_MS);
		}
	}

	/** Kills the tmux server (and with it the program) and removes the config. Safe to call twice. */
	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		await tmux(this.dir, ['-L', this.socket, 'kill-server']).catch(() => {});
		await rm(this.dir, { recursive: true, force: true });
	}
}

function shellQuote(text: string): string {
	return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Why these tests cannot run here (no tmux), or undefined. */
export function tmuxMissing(): Promise<string | undefined> {
	return new Promise((resolve) => {
		execFile('tmux', ['-V'], (error) => resolve(error ? 'tmux is not installed (bash test/setup-system.sh installs it)' : undefined));
	});
}

/** Fails the test file with the reason when tmux is missing: a skipped terminal test would read as a pass. */
export async function requireTmux(): Promise<void> {
	const missing = await tmuxMissing();
	if (missing) throw new Error(missing);
}

/** The screen without its trailing blank lines, for error messages. */
export function trimScreen(screen: string): string {
	return screen.replace(/\s+$/, '');
}

/** The environment for the binary: a private HOME, colours as asked, and no CI (which turns the wizard off). */
export function cliEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	return {
		PATH: process.env.PATH,
		HOME: home,
		LANG: 'C.UTF-8',
		TERM: 'xterm-256color',
		AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
		...extra,
	};
}

/** Panes of one test file with a private HOME, all closed and removed by `close()` (in after()). */
export function paneSession(): { start(argv: string[], size?: { width: number; height: number }): Promise<Pane>; close(): Promise<void> } {
	const panes: Pane[] = [];
	let home: string | undefined;
	return {
		async start(argv, size = { width: 100, height: 30 }) {
			home ??= await mkdtemp(join(tmpdir(), 'deis-backup-home-'));
			const pane = await Pane.start({ argv, cwd: REPO, env: cliEnv(home), ...size });
			panes.push(pane);
			return pane;
		},
		async close() {
			await Promise.all(panes.map((pane) => pane.close()));
			if (home) await rm(home, { recursive: true, force: true });
		},
	};
}

/**
 * Panes and temporary folders a test file starts, all closed and removed by
 * `cleanup` (pass it to node:test's `after`).
 */
export function scratch() {
	const panes: Pane[] = [];
	const temps: string[] = [];
	return {
		panes,
		async tempDir(prefix: string): Promise<string> {
			const dir = await mkdtemp(join(tmpdir(), prefix));
			temps.push(dir);
			return dir;
		},
		async cleanup(): Promise<void> {
			await Promise.all(panes.map((pane) => pane.close()));
			await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
		},
	};
}

/**
 * Pause points (source/util/pause-point.ts) for a program in a pane: with
 * `env(at)` in its environment it stops itself at the named point and appends
 * `<name> <pid>` to a file. The pane's wrapper shell, not tmux, is its parent,
 * so nothing continues it but `resume()`.
 */
export class PausePoints {
	private seen = 0;

	constructor(readonly file: string) {}

	env(at: string): NodeJS.ProcessEnv {
		return { DEIS_BACKUP_TEST_PAUSE_AT: at, DEIS_BACKUP_TEST_PAUSE_FILE: this.file };
	}

	/** The pid of the program once it stopped at its next pause, or undefined if it exited instead. */
	async next(pane: Pane, timeoutMs = 30_000): Promise<number | undefined> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const lines = (await readFile(this.file, 'utf8').catch(() => '')).split('\n').filter(Boolean);
			if (lines.length > this.seen) {
				const pid = Number((lines[this.seen++] as string).split(' ').at(-1));
				await whenStopped(pid);
				return pid;
			}
			if ((await pane.exitCode()) !== undefined) return undefined;
			if (Date.now() > deadline) throw new Error(`no pause within ${timeoutMs} ms; last screen:\n${trimScreen(await pane.screen())}`);
			await sleep(POLL_MS);
		}
	}

	resume(pid: number): void {
		process.kill(pid, 'SIGCONT');
	}
}
