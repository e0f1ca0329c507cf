/**
 * `deis-backup backup` without a terminal (or with --plain): flags in, lines out.
 */
import type { Flags } from '../cli/args.js';
import { completeSettings, settingsFromFlags } from '../config/resolve.js';
import { defaultBackupName } from '../archive/layout.js';
import { EXIT, UserError } from '../errors.js';
import { runBackup } from '../plans/backup.js';
import { isValidBucketName } from '../steps/gateway/keys.js';
import { previewBackup } from '../plans/preview.js';
import type { PlanAnswers } from '../plans/types.js';
import { plainHooks, plainListrOptions, printSummary } from './plain-output.js';
import { abortOnSignals, concurrencyOf } from './shared.js';

export async function backupAnswers(flags: Flags, positionals: string[] = []): Promise<PlanAnswers> {
	const connection = completeSettings(await settingsFromFlags(flags));
	if (flags.out !== undefined && flags.out.trim() === '') throw new UserError('--out needs a folder name.', 2);
	return {
		kind: 'backup',
		connection,
		// `backup DIR` names the folder too, so the resume hint `deis-backup backup DIR` works.
		folder: flags.out ?? positionals[0] ?? defaultBackupName(connection.domain),
		skipDatabase: Boolean(flags['skip-database']),
		skipVolume: Boolean(flags['skip-volume']),
	};
}

export async function backupCommand(flags: Flags, positionals: string[] = [], askInTerminal = false): Promise<number> {
	const answers = askInTerminal ? await (await import('./line-questions.js')).askAnswers('backup', flags, positionals) : await backupAnswers(flags, positionals);
	const dryRun = Boolean(flags['dry-run']);
	if (dryRun) {
		for (const stage of previewBackup(answers)) {
			process.stdout.write(`# ${stage.title}\n${stage.commands.join('\n')}\n`);
		}
		return EXIT.ok;
	}
	const scale = flags['scale-gateways'] === undefined ? undefined : Number(flags['scale-gateways']);
	if (scale !== undefined && (!Number.isInteger(scale) || scale < 1 || scale > 16)) throw new UserError('--scale-gateways takes a whole number from 1 to 16.', 2);
	const buckets = flags.buckets?.split(',').map((name) => name.trim());
	const invalid = buckets?.find((name) => !isValidBucketName(name));
	if (invalid !== undefined) throw new UserError(`--buckets: ${JSON.stringify(invalid)} is not a valid bucket name.`, 2);
	const { signal, dispose } = abortOnSignals();
	try {
		const summary = await runBackup(
			{ answers, concurrency: concurrencyOf(flags), dryRun, scaleGateways: scale, buckets, skipSettings: Boolean(flags['skip-settings']), signal, hooks: plainHooks() },
			plainListrOptions(),
		);
		printSummary(summary);
		if (signal.aborted && !summary.ok) return EXIT.interrupted;
		return summary.ok ? EXIT.ok : EXIT.failed;
	} finally {
		dispose();
	}
}
