/**
 * Polling helpers for ink-testing-library: wait for what the screen shows,
 * with a deadline, instead of sleeping a guessed amount of time.
 */
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';

export const keys = {
	enter: '\r',
	up: '\u001B[A',
	down: '\u001B[B',
	escape: '\u001B',
	ctrlC: '\u0003',
	backspace: '\b',
	delete: '\u007F',
} as const;

export function tick(): Promise<void> {
	return new Promise((resolve) => setImmediate(resolve));
}

/** A few macrotask turns: enough for React's scheduled passive effects to run, even on a loaded machine. */
async function settle(): Promise<void> {
	for (let i = 0; i < 3; i++) {
		await tick();
		await new Promise((resolve) => setTimeout(resolve, 0));
	}
}

type Frame = () => string | undefined;

/** Resolves with the first frame that satisfies `match`; rejects with the last frame at the deadline. */
export async function waitFor(frame: Frame, match: string | RegExp | ((text: string) => boolean), timeoutMs = 3000): Promise<string> {
	const test = typeof match === 'function' ? match : (text: string) => (typeof match === 'string' ? text.includes(match) : match.test(text));
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const text = frame() ?? '';
		if (test(text)) {
			// Input handlers are swapped in effects after a render, which React schedules as
			// separate tasks: let a few turns of the event loop pass before typing.
			await settle();
			return text;
		}
		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${String(match)}; last frame:\n${text}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

/**
 * Like waitFor, but over every frame written so far: for screens a fast fake
 * passes through quicker than a poll can catch (ink-testing-library keeps them all).
 */
export async function waitForAnyFrame(frames: readonly string[], match: string | RegExp, timeoutMs = 3000): Promise<string> {
	const test = (text: string) => (typeof match === 'string' ? text.includes(match) : match.test(text));
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const found = frames.find(test);
		if (found !== undefined) return found;
		if (Date.now() > deadline) throw new Error(`no frame matched ${String(match)}; last frame:\n${frames[frames.length - 1] ?? ''}`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

/** Waits until a condition on plain values holds (calls recorded by fakes, etc.). */
export async function until(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

interface Writer {
	write(data: string): void;
}

/** Writes each chunk with a tick between, the way a person types. */
export async function press(stdin: Writer, ...chunks: string[]): Promise<void> {
	for (const chunk of chunks) {
		stdin.write(chunk);
		await tick();
	}
}

/** Types text then Enter. */
export async function answer(stdin: Writer, text: string): Promise<void> {
	if (text !== '') await press(stdin, text);
	await press(stdin, keys.enter);
}

/** Clears a text field pre-filled with `length` characters. */
export async function erase(stdin: Writer, length: number): Promise<void> {
	for (let i = 0; i < length; i++) await press(stdin, keys.delete);
}

/** A Writable that keeps everything written to it, for listr2's own output in tests. */
export function sink(): Writable & { text(): string } {
	const chunks: string[] = [];
	const stream = new Writable({
		write(chunk, _encoding, callback) {
			chunks.push(String(chunk));
			callback();
		},
	}) as Writable & { text(): string };
	stream.text = () => chunks.join('');
	return stream;
}

export function stripAnsi(text: string): string {
	return text.replace(/\u001B\[[0-9;]*m/g, '');
}

/**
 * A terminal of a given size for Ink outside ink-testing-library (whose
 * stdout is always 100 columns and has no rows): everything written is kept,
 * escape sequences included, as a real terminal would receive it.
 */
export class SizedStdout extends EventEmitter {
	isTTY = true;
	written = '';
	/** Each write on its own: with Ink's debug option, each is a whole frame. */
	writes: string[] = [];
	constructor(
		public columns: number,
		public rows: number,
	) {
		super();
	}
	write(chunk: string): boolean {
		this.written += chunk;
		this.writes.push(chunk);
		return true;
	}
}

/** Just enough of a TTY stdin for Ink; data queued before anyone listens is delivered when a reader attaches, as Node's streams do. */
export class FakeTtyStdin extends EventEmitter {
	isTTY = true;
	private queued: string[] = [];
	constructor() {
		super();
		this.on('newListener', (event: string) => {
			if (event === 'readable' && this.queued.length > 0) process.nextTick(() => this.emit('readable'));
		});
	}
	setRawMode() {}
	setEncoding() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
	read(): string | null {
		return this.queued.shift() ?? null;
	}
	/** Bytes that arrive now, whether or not anyone reads yet. */
	type(data: string) {
		this.queued.push(data);
		if (this.listenerCount('readable') > 0) this.emit('readable');
	}
}
