/**
 * `deis-backup backup` without a terminal (or with --plain): flags in, lines out.
 */
import type { Flags } from '../cli/args.js';
import { completeSettings, settingsFromFlags } from '../config/resolve.js';
import { defaultBackupName } from '../archive/layout.js';
import { EXIT, UserError } from '../errors.js';
import { startConnect } from '../plans/connect.js';
import { backupOptions } from '../plans/options.js';
import type { PlanAnswers } from '../plans/types.js';
import { exitCodeOf, outputModeOf, plainHooks, plainListrOptions, printSummary } from './plain-output.js';
import { abortOnSignals } from './interrupts.js';
import { resumeCommand, runOptionsOf } from './run-flags.js';

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
	const mode = outputModeOf(flags);
	const dryRun = Boolean(flags['dry-run']);
	if (mode.verbose) process.stderr.write(settingsLine(answers));
	const { signal, dispose } = abortOnSignals();
	const hooks = plainHooks(mode);
	// SSH's round trips overlap the loading of the plan's modules; the plan's Connect step joins it.
	const connecting = dryRun ? undefined : startConnect(answers.connection, hooks);
	try {
		await connecting?.dialled;
		const { runBackup } = await import('../plans/backup.js');
		const summary = await runBackup(
			backupOptions(
				{ answers, signal, hooks, connecting },
				{ concurrency: options.concurrency, dryRun, scaleGateways: options.scaleGateways, buckets: options.buckets, skipSettings: Boolean(flags['skip-settings']) },
			),
			dryRun && !mode.verbose ? { renderer: 'silent', fallbackRenderer: 'silent' } : await plainListrOptions(mode),
		);
		const folderGiven = flags.out !== undefined || positionals[0] !== undefined;
		await printSummary(summary, { mode, resume: resumeCommand(summary.folder, folderGiven) });
		return exitCodeOf(summary);
	} finally {
		// Ended before its Connect step (a refused folder): the attempt stops and closes.
		connecting?.abandon();
		dispose();
	}
}

/** -v: what the run will use, so a log shows it (never the gateway keys: they are not read yet, and never printed). */
export function settingsLine(answers: PlanAnswers): string {
	const c = answers.connection;
	return `Using ${c.user}@${c.host}:${c.port}${c.identity ? ` with key ${c.identity}` : ''}, domain ${c.domain}${c.storeEndpoint ? `, gateway ${c.storeEndpoint}` : ''}${c.tunnel ? ' (through SSH)' : ''}, folder ${answers.folder}\n`;
}
