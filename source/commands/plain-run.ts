/**
 * What backup and restore without the wizard do around their plan: the
 * signals, the SSH connection started before the plan loads, the plan's lines
 * and its summary. Each command gives its answers and how to load and run its plan.
 */
import type { Flags } from '../cli/args.js';
import { startConnect } from '../plans/connect.js';
import type { RendererChoice } from '../plans/hooks.js';
import type { RunBasics } from '../plans/options.js';
import type { PlanAnswers, RunSummary } from '../plans/types.js';
import { abortOnSignals } from './interrupts.js';
import { exitCodeOf, outputModeOf, plainHooks, plainListrOptions, printSummary } from './plain-output.js';
import { resumeCommand } from './run-flags.js';

export interface PlainRun {
	flags: Flags;
	answers: PlanAnswers;
	dryRun: boolean;
	/** Whether the folder was named on the command line; else the resume command names it. */
	folderGiven: boolean;
	/** Loads the plan (its modules load while SSH waits on the network) and runs it. */
	run: (basics: RunBasics, listrOptions: RendererChoice) => Promise<RunSummary>;
}

export async function runPlain({ flags, answers, dryRun, folderGiven, run }: PlainRun): Promise<number> {
	const mode = outputModeOf(flags);
	if (mode.verbose) process.stderr.write(settingsLine(answers));
	const { signal, dispose } = abortOnSignals();
	const hooks = plainHooks(mode);
	// The plan's Connect step joins this connection.
	const connecting = dryRun ? undefined : startConnect(answers.connection, hooks);
	try {
		await connecting?.dialled;
		const summary = await run({ answers, signal, hooks, connecting }, dryRun && !mode.verbose ? { renderer: 'silent', fallbackRenderer: 'silent' } : await plainListrOptions(mode));
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
