/**
 * Ctrl-C (and SIGTERM) for the line faces: a clean stop with exit 130,
 * whenever it comes, before a plan runs or during one.
 */
import { setMaxListeners } from 'node:events';
import { EXIT, UserError } from '../errors.js';

/** A plan is running and has its own handler: the early one steps aside. */
let planRunning = false;

/**
 * Ctrl-C (or SIGTERM) before any plan runs, while flags are read, modules load
 * or the demo's clusters start: exit 130 at once with one line. Whatever was
 * registered with process.on('exit') (the demo's temporary folder) still runs.
 */
export function exitOnEarlyInterrupt(): void {
	const early = () => {
		if (planRunning) return;
		process.stderr.write('\ndeis-backup: stopped before anything ran.\n');
		process.exit(EXIT.interrupted);
	};
	process.on('SIGINT', early);
	process.on('SIGTERM', early);
}

export function abortOnSignals(): { signal: AbortSignal; dispose: () => void } {
	const controller = new AbortController();
	// Every request in flight listens on the signal.
	setMaxListeners(0, controller.signal);
	const stop = () => {
		if (controller.signal.aborted) process.exit(EXIT.interrupted);
		process.stderr.write('\nStopping safely (press Ctrl-C again to quit at once)…\n');
		controller.abort(new UserError(`Stopped by the operator; run the same command again to resume.`, EXIT.interrupted));
	};
	planRunning = true;
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	return {
		signal: controller.signal,
		dispose: () => {
			planRunning = false;
			process.off('SIGINT', stop);
			process.off('SIGTERM', stop);
		},
	};
}
