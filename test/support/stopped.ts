/**
 * A run that reached a pause point (source/util/pause-point.ts) reports it and
 * then stops itself: the report can arrive a moment before the stop. A SIGCONT
 * sent in that moment would be lost and the run would stay stopped, so tests
 * wait until the kernel shows the process stopped before they let it go on.
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

async function state(pid: number): Promise<string | undefined> {
	const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
	// comm (field 2) may hold spaces and parentheses: the state follows the last ')'.
	return stat?.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

/** Resolves once `pid` is stopped (state T); rejects if it is gone or the deadline passes. */
export async function whenStopped(pid: number, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const now = await state(pid);
		if (now === 'T') return;
		if (now === undefined || now === 'Z' || now === 'X') throw new Error(`process ${pid} ended instead of stopping at its pause point`);
		if (Date.now() > deadline) throw new Error(`process ${pid} did not stop within ${timeoutMs} ms (state ${now})`);
		await delay(1);
	}
}
