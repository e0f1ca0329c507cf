/**
 * Line output for scripts and --plain: progress on stderr, results on stdout
 * (so `deis-backup … > result` keeps the outcome and a pipe stays free for
 * data), or with --json one machine-readable summary on stdout. Colours off
 * when NO_COLOR is set or stdout is not a terminal (colorette's test, though progress goes to stderr).
 */
import type { Flags } from '../cli/args.js';
import { readManifest, type Manifest } from '../archive/manifest.js';
import { EXIT, exitCodeOfKind } from '../errors.js';
import type { PlanHooks, RendererChoice } from '../plans/hooks.js';
import type { RunSummary } from '../plans/types.js';
import { formatBytes, formatDuration, progressLine } from '../ui/format.js';
import { terminalPassphrase } from './passphrase.js';
import { settingsLines } from '../ui/settings-lines.js';

export interface OutputMode {
	/** One JSON summary on stdout instead of the result lines. */
	json: boolean;
	/** No progress: only the result and errors. */
	quiet: boolean;
	/** Every progress line, and the settings used. */
	verbose: boolean;
}

export const DEFAULT_OUTPUT: OutputMode = { json: false, quiet: false, verbose: false };

export function outputModeOf(flags: Flags): OutputMode {
	return { json: Boolean(flags.json), quiet: Boolean(flags.quiet), verbose: Boolean(flags.verbose) && !flags.quiet };
}

/** Async: listr2 loads with the plan, after the SSH connection has been started (commands/backup.ts). */
export async function plainListrOptions(mode: OutputMode = DEFAULT_OUTPUT): Promise<RendererChoice> {
	if (mode.quiet) return { renderer: 'silent', fallbackRenderer: 'silent' };
	const { ListrLogger, ProcessOutput, PRESET_TIMER } = await import('listr2');
	const logger = new ListrLogger({ processOutput: new ProcessOutput(process.stderr, process.stderr), useIcons: true });
	return {
		renderer: 'simple',
		fallbackRenderer: 'simple',
		rendererOptions: { logger, timer: PRESET_TIMER },
		fallbackRendererOptions: { logger, timer: PRESET_TIMER },
	};
}

export function plainHooks(mode: OutputMode = DEFAULT_OUTPUT): PlanHooks {
	// Rates and ETAs count from each stage's first report, not from program start.
	const started = new Map<string, number>();
	return {
		formatProgress: (progress) => {
			const now = Date.now();
			if (!started.has(progress.stage)) started.set(progress.stage, now);
			return progressLine(progress, now - (started.get(progress.stage) as number));
		},
		// A log line every 2 s is enough for a cron log; -v shows the transfer as it moves.
		outputIntervalMs: mode.verbose ? 250 : 2000,
		askPassphrase: terminalPassphrase(),
		onSettingsPlan: (plan, chosen) => {
			for (const line of settingsLines(plan, (row) => chosen.includes(row.key))) process.stderr.write(`${line}\n`);
		},
	};
}

/** The one exit code of a run's outcome (errors.ts): 0, 1, 3 or 130. */
export function exitCodeOf(summary: RunSummary): number {
	if (summary.ok) return EXIT.ok;
	if (summary.interrupted) return EXIT.interrupted;
	return exitCodeOfKind(summary.errorKind ?? 'failed');
}

export interface SummaryContext {
	mode?: OutputMode;
	/** The exact command that continues this run, shown when there is something to continue. */
	resume?: string;
}

const stdoutLine = (line: string) => void process.stdout.write(`${line}\n`);
const stderrLine = (line: string) => void process.stderr.write(`${line}\n`);

export async function printSummary(summary: RunSummary, context: SummaryContext = {}): Promise<void> {
	const mode = context.mode ?? DEFAULT_OUTPUT;
	if (mode.json) {
		stdoutLine(JSON.stringify(await summaryJson(summary, context.resume)));
		return;
	}
	const what = summary.kind === 'backup' ? 'Backup' : 'Restore';
	// Warnings first: the last line is the one a script's log shows, and it must be the outcome.
	for (const warning of summary.warnings) stderrLine(`warning: ${warning}`);
	if (summary.dryRun) {
		for (const stage of summary.dryRun) stdoutLine(`# ${stage.title}\n${stage.commands.join('\n')}`);
		stderrLine(`Dry run: nothing was changed; these are the commands each stage of the ${summary.kind} would run.`);
		return;
	}
	if (summary.ok) {
		if (summary.manifestPath) stdoutLine(`Manifest: ${summary.manifestPath}`);
		stdoutLine(`${what} finished in ${formatDuration(summary.durationMs)}: ${summary.objects} objects, ${formatBytes(summary.bytes)} in ${summary.folder}`);
		return;
	}
	for (const problem of summary.problems ?? []) stderrLine(`  ${problem}`);
	// Where the work is and how to go on, then the outcome: a script's log shows the last line.
	const next = nextStep(summary, context.resume);
	if (next) stderrLine(next);
	stderrLine(`${what} failed after ${formatDuration(summary.durationMs)}: ${summary.error ?? 'unknown error'}`);
}

/** Where the run's work is and the command that continues it; nothing when running again would not help. */
function nextStep(summary: RunSummary, resume: string | undefined): string | undefined {
	if (!resume) return undefined;
	if (summary.folderRemoved) return `Nothing was saved, so the folder ${summary.folder} was removed. Run again with: ${resume}`;
	const continuable = summary.interrupted || summary.failedStage !== undefined;
	if (!continuable) return undefined;
	if (summary.kind === 'backup') return `The unfinished backup is in ${summary.folder}; resume it with: ${resume}`;
	return `The restore of ${summary.folder} stopped; resume it with: ${resume}`;
}

interface PartJson {
	name: string;
	objects: number;
	bytes: number;
}

/**
 * The --json summary. Built from the run's summary and the manifest only:
 * neither ever holds the gateway keys or the database's content.
 */
export async function summaryJson(summary: RunSummary, resume?: string): Promise<Record<string, unknown>> {
	const manifest = summary.ok && !summary.dryRun ? await readManifest(summary.folder).catch(() => undefined) : undefined;
	return {
		command: summary.kind,
		ok: summary.ok,
		exitCode: exitCodeOf(summary),
		folder: summary.folder,
		manifest: summary.manifestPath ?? null,
		dryRun: Boolean(summary.dryRun),
		resumed: Boolean(summary.resumed),
		objects: summary.objects,
		bytes: summary.bytes,
		transferred: summary.transferred ?? 0,
		durationMs: summary.durationMs,
		[summary.kind === 'backup' ? 'saved' : 'restored']: manifest ? contentsOf(manifest) : null,
		warnings: summary.warnings,
		error: summary.ok ? null : (summary.error ?? 'unknown error'),
		problems: summary.problems ?? [],
		failedStage: summary.failedStage ?? null,
		interrupted: Boolean(summary.interrupted),
		folderRemoved: Boolean(summary.folderRemoved),
		resumeCommand: summary.ok || !resume ? null : resume,
		commands: summary.dryRun?.map((stage) => ({ title: stage.title, commands: stage.commands })) ?? null,
	};
}

function contentsOf(manifest: Manifest): { buckets: PartJson[]; volume: { file: string; bytes: number } | null; database: { file: string; bytes: number } | null } {
	return {
		buckets: manifest.buckets.map((bucket) => ({ name: bucket.name, objects: bucket.objects.length, bytes: bucket.objects.reduce((sum, o) => sum + o.size, 0) })),
		volume: manifest.volume ? { file: manifest.volume.file, bytes: manifest.volume.size } : null,
		database: manifest.database ? { file: manifest.database.file, bytes: manifest.database.size } : null,
	};
}
