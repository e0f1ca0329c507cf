/**
 * `deis-backup backup` without a terminal (or with --plain): flags in, lines out.
 */
import type { Flags } from '../cli/args.js';
import { completeSettings, settingsFromFlags } from '../config/resolve.js';
import { defaultBackupName } from '../archive/layout.js';
import { EXIT, UserError } from '../errors.js';
import { backupOptions } from '../plans/options.js';
import type { PlanAnswers } from '../plans/types.js';
import { runPlain } from './plain-run.js';
import { runOptionsOf } from './run-flags.js';

export async function backupAnswers(flags: Flags, positionals: string[] = []): Promise<PlanAnswers> {
	const connection = completeSettings(await settingsFromFlags(flags));
	return { kind: 'backup', connection, folder: backupFolderOf(flags, positionals, connection.domain), skipDatabase: Boolean(flags['skip-database']), skipVolume: Boolean(flags['skip-volume']) };
}

/** `--out DIR` or `backup DIR`, else the folder of this cluster and day that a re-run finds again. */
export function backupFolderOf(flags: Flags, positionals: string[], domain: string): string {
	if (flags.out !== undefined && flags.out.trim() === '') throw new UserError('--out needs a folder name.', EXIT.usage);
	if (positionals.length > 1) throw new UserError(`backup takes one folder, not ${positionals.length} (${positionals.join(', ')}); see deis-backup backup --help.`, EXIT.usage);
	if (flags.out !== undefined && positionals[0] !== undefined && flags.out !== positionals[0]) throw new UserError(`Two folders given (--out ${flags.out} and ${positionals[0]}); name one.`, EXIT.usage);
	return flags.out ?? positionals[0] ?? defaultBackupName(domain);
}

export async function backupCommand(flags: Flags, positionals: string[] = [], askInTerminal = false): Promise<number> {
	// Every flag is checked before a question is asked or anything is created.
	const options = runOptionsOf(flags);
	if (positionals.length > 1) backupFolderOf(flags, positionals, '');
	const answers = askInTerminal ? await (await import('./line-questions.js')).askAnswers('backup', flags, positionals) : await backupAnswers(flags, positionals);
	const dryRun = Boolean(flags['dry-run']);
	return runPlain({
		flags,
		answers,
		dryRun,
		folderGiven: flags.out !== undefined || positionals[0] !== undefined,
		run: async (basics, listrOptions) => {
			const { runBackup } = await import('../plans/backup.js');
			return runBackup(
				backupOptions(basics, { concurrency: options.concurrency, dryRun, scaleGateways: options.scaleGateways, buckets: options.buckets, skipSettings: Boolean(flags['skip-settings']) }),
				listrOptions,
			);
		},
	});
}
