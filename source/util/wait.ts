/**
 * Polls until `probe` returns a value or the deadline passes: waiting on a
 * condition, never on a fixed sleep.
 */
import { setTimeout as delay } from 'node:timers/promises';

export async function waitUntil<T>(probe: () => Promise<T | undefined>, options: { timeoutMs: number; intervalMs: number; signal?: AbortSignal }): Promise<T | undefined> {
	const deadline = Date.now() + options.timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() >= deadline || options.signal?.aborted) return undefined;
		await delay(options.intervalMs, undefined, { signal: options.signal }).catch(() => undefined);
	}
}
