/**
 * `deis-backup restore DIR` without a terminal (or with --plain).
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Flags } from '../cli/args.js';
import { completeSettings, settingsFromFlags } from '../config/resolve.js';
import { EXIT, UserError } from '../errors.js';
import { restoreOptions } from '../plans/options.js';
import type { PlanAnswers } from '../plans/types.js';
import { runPlain } from './plain-run.js';
import { runOptionsOf } from './run-flags.js';

export async function restoreAnswers(flags: Flags, positionals: string[]): Promise<PlanAnswers> {
	const folder = await restoreFolderOf(positionals);
	return {
		kind: 'restore',
		connection: completeSettings(await settingsFromFlags(flags)),
		folder,
		skipDatabase: true,
		skipVolume: Boolean(flags['skip-volume']),
		force: Boolean(flags.force),
	};
}

/** DIR must name one folder that exists: a mistyped path is a usage error, for a run and a dry run alike. */
export async function restoreFolderOf(positionals: string[]): Promise<string> {
	const [dir, ...extra] = positionals;
	if (!dir) throw new UserError('Name the backup folder to restore: deis-backup restore DIR.', EXIT.usage);
	if (extra.length > 0) throw new UserError(`restore takes one backup folder, not ${positionals.length} (${positionals.join(', ')}); see deis-backup restore --help.`, EXIT.usage);
	const folder = resolve(dir);
	const info = await stat(folder).catch(() => undefined);
	if (!info) throw new UserError(`${folder} does not exist; name a backup folder made by deis-backup backup.`, EXIT.usage);
	if (!info.isDirectory()) throw new UserError(`${folder} is not a folder; name a backup folder made by deis-backup backup.`, EXIT.usage);
	return folder;
}

export async function restoreCommand(flags: Flags, positionals: string[], askInTerminal = false): Promise<number> {
	// Every flag is checked before a question is asked or the cluster is touched.
	const options = runOptionsOf(flags);
	if (positionals.length > 0) await restoreFolderOf(positionals);
	const dryRun = Boolean(flags['dry-run']);
	const answers = askInTerminal ? await (await import('./line-questions.js')).askAnswers('restore', flags, positionals) : await restoreAnswers(flags, positionals);
	if (!dryRun && !flags.yes && !askInTerminal) throw new UserError(`A restore writes to the cluster at ${answers.connection.host}; pass --yes to confirm without a terminal (or --dry-run to see the commands).`, EXIT.usage);
	return runPlain({
		flags,
		answers,
		dryRun,
		folderGiven: true,
		run: async (basics, listrOptions) => {
			const { runRestore } = await import('../plans/restore.js');
			return runRestore(
				restoreOptions(basics, {
					concurrency: options.concurrency,
					dryRun,
					skipPlatform: Boolean(flags['skip-platform']),
					skipBuckets: Boolean(flags['skip-buckets']),
					skipController: Boolean(flags['skip-controller']),
					skipVerify: Boolean(flags['skip-verify']),
					skipSettings: Boolean(flags['skip-settings']),
					skipPreflight: Boolean(flags['skip-preflight']),
					resetBodySize: Boolean(flags['reset-body-size']),
					bodySize: options.bodySize,
					restart: Boolean(flags.restart),
				}),
				listrOptions,
			);
		},
	});
}
