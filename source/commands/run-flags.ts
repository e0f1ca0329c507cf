/**
 * What every command reads from its flags around its plan: the run options,
 * checked once by the shared validation, and the command that resumes a
 * stopped run.
 */
import type { Flags } from '../cli/args.js';
import { quoteArg } from '../util/shell-quote.js';
import { runOptionsFrom, type RunOptions } from '../validate.js';

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
