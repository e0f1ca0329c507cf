/**
 * `deis-backup restore DIR` without a terminal (or with --plain).
 */
import { resolve } from 'node:path';
import type { Flags } from '../cli/args.js';
import { completeSettings, settingsFromFlags } from '../config/resolve.js';
import { EXIT, UserError } from '../errors.js';
import { previewRestore } from '../plans/preview.js';
import { runRestore } from '../plans/restore.js';
import type { PlanAnswers } from '../plans/types.js';
import { plainHooks, plainListrOptions, printSummary } from './plain-output.js';
import { abortOnSignals, concurrencyOf } from './shared.js';

export async function restoreAnswers(flags: Flags, positionals: string[]): Promise<PlanAnswers> {
	const [dir] = positionals;
	if (!dir) throw new UserError('Name the backup folder to restore: deis-backup restore DIR.', 2);
	return {
		kind: 'restore',
		connection: completeSettings(await settingsFromFlags(flags)),
		folder: resolve(dir),
		skipDatabase: true,
		skipVolume: Boolean(flags['skip-volume']),
		force: Boolean(flags.force),
	};
}

export async function restoreCommand(flags: Flags, positionals: string[], askInTerminal = false): Promise<number> {
	const answers = askInTerminal ? await (await import('./line-questions.js')).askAnswers('restore', flags, positionals) : await restoreAnswers(flags, positionals);
	const dryRun = Boolean(flags['dry-run']);
	if (dryRun) {
		for (const stage of previewRestore(answers)) process.stdout.write(`# ${stage.title}\n${stage.commands.join('\n')}\n`);
		return EXIT.ok;
	}
	if (!flags.yes && !askInTerminal) throw new UserError(`A restore writes to the cluster at ${answers.connection.host}; pass --yes to confirm without a terminal (or --dry-run to see the commands).`, 2);
	const { signal, dispose } = abortOnSignals();
	try {
		const summary = await runRestore(
			{
				answers,
				concurrency: concurrencyOf(flags),
				dryRun,
				skipPlatform: Boolean(flags['skip-platform']),
				skipBuckets: Boolean(flags['skip-buckets']),
				skipController: Boolean(flags['skip-controller']),
				skipVerify: Boolean(flags['skip-verify']),
				skipSettings: Boolean(flags['skip-settings']),
				resetBodySize: Boolean(flags['reset-body-size']),
				bodySize: flags['body-size'] ?? '100m',
				gatewayTimeoutMs: 120_000,
				restart: Boolean(flags.restart),
				signal,
				hooks: plainHooks(),
			},
			plainListrOptions(),
		);
		printSummary(summary);
		if (signal.aborted && !summary.ok) return EXIT.interrupted;
		if (summary.ok) return EXIT.ok;
		return /does not match/.test(summary.error ?? '') ? EXIT.mismatch : EXIT.failed;
	} finally {
		dispose();
	}
}
