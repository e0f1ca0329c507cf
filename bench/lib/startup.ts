/**
 * Start-up: `--help` (process spawn to exit) and the first wizard frame
 * (process spawn to the first output byte that completes the wizard's first
 * question), both from the compiled build.
 *
 * The wizard needs a terminal: it runs under util-linux `script`, which gives
 * it a pseudo-terminal and copies everything written to it to our pipe. The
 * clock starts just before spawn and stops when the text seen so far (escape
 * sequences removed) contains the first screen's question. It includes
 * `script`'s own start-up and the pty round trip, so the same is measured for
 * a bare `node -e` that prints the question: the floor no Node CLI can beat.
 */
import { spawn } from 'node:child_process';
import { median } from './measure.js';

const FIRST_SCREEN = 'What do you want to do?';
// CSI/OSC sequences and lone escapes: what Ink writes between the words.
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]/g;

export async function firstFrameMs(command: string, env: NodeJS.ProcessEnv, text = FIRST_SCREEN, timeoutMs = 20_000): Promise<number> {
	const started = process.hrtime.bigint();
	const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...env, TERM: 'xterm-256color', COLUMNS: '100', LINES: '30' }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
	child.stdin.on('error', () => undefined); // EPIPE when the program has already exited
	let seen = '';
	const exited = new Promise<void>((resolvePromise) => child.on('exit', () => resolvePromise()));
	try {
		return await new Promise<number>((resolvePromise, reject) => {
			const timer = setTimeout(() => reject(new Error(`no "${text}" within ${timeoutMs} ms; output: ${JSON.stringify(seen.slice(-300))}`)), timeoutMs);
			child.stdout.on('data', (chunk: Buffer) => {
				seen += chunk.toString('utf8');
				if (seen.replace(ESCAPES, '').includes(text)) {
					clearTimeout(timer);
					resolvePromise(Number(process.hrtime.bigint() - started) / 1e6);
				}
			});
			child.on('exit', (code) => {
				clearTimeout(timer);
				reject(new Error(`exited (${code}) before "${text}"; output: ${JSON.stringify(seen.replace(ESCAPES, '').slice(-300))}`));
			});
		});
	} finally {
		// Ctrl-C through the terminal (Ink exits on it), then the process group we started if it lingers.
		child.stdin.end('\x03');
		const timeout = setTimeout(() => {
			try {
				if (child.pid) process.kill(-child.pid, 'SIGKILL');
			} catch {
				/* already gone */
			}
		}, 3000);
		await exited;
		clearTimeout(timeout);
	}
}

export async function medianFirstFrame(command: string, env: NodeJS.ProcessEnv, runs: number, text?: string): Promise<{ median: number; samples: number[] }> {
	const samples: number[] = [];
	for (let i = 0; i < runs; i++) samples.push(await firstFrameMs(command, env, text));
	return { median: median(samples), samples };
}

export { FIRST_SCREEN };
