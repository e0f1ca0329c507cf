/**
 * What every command does around its plan: Ctrl-C turned into a clean stop,
 * the concurrency flag read and bounded.
 */
import { setMaxListeners } from 'node:events';
import type { Flags } from '../cli/args.js';
import { UserError } from '../errors.js';

export function abortOnSignals(): { signal: AbortSignal; dispose: () => void } {
	const controller = new AbortController();
	// Every request in flight listens on the signal.
	setMaxListeners(0, controller.signal);
	const stop = () => {
		if (controller.signal.aborted) process.exit(130);
		process.stderr.write('\nStopping safely (press Ctrl-C again to quit at once)…\n');
		controller.abort(new UserError('Stopped by the operator; run the same command again to resume.', 130));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	return {
		signal: controller.signal,
		dispose: () => {
			process.off('SIGINT', stop);
			process.off('SIGTERM', stop);
		},
	};
}

export function concurrencyOf(flags: Flags): number {
	if (flags.concurrency === undefined) return 32;
	const value = Number(flags.concurrency);
	if (!Number.isInteger(value) || value < 1 || value > 256) throw new UserError('--concurrency takes a whole number from 1 to 256.', 2);
	return value;
}
