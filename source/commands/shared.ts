/**
 * What every command does around its plan: Ctrl-C turned into a clean stop
 * (exit 130, whenever it comes), options checked once, and the command that
 * resumes a stopped run.
 */
import { setMaxListeners } from 'node:events';
import type { Flags } from '../cli/args.js';
import { quoteArg } from '../util/shell-quote.js';
import { runOptionsFrom, type RunOptions } from '../validate.js';
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

/** The run options of any command's flags, checked by the one shared validation (config/validate.ts). */
export function runOptionsOf(flags: Flags): RunOptions {
	return runOptionsFrom({ concurrency: flags.concurrency, scaleGateways: flags['scale-gateways'], buckets: flags.buckets, bodySize: flags['body-size'] });
}

export function concurrencyOf(flags: Flags): number {
	return runOptionsFrom({ concurrency: flags.concurrency }).concurrency;
}

/**
 * The exact command that continues a stopped run: the operator's own words,
 * plus `--out FOLDER` when the folder was the default one, since tomorrow's
 * default would be another folder.
 */
export function resumeCommand(folder: string, folderGiven: boolean, argv: readonly string[] = process.argv.slice(2)): string {
	const words = [...argv];
	if (!folderGiven) words.push('--out', folder);
	return ['deis-backup', ...words.map(quoteArg)].join(' ');
}
