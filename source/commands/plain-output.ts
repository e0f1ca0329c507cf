/**
 * Line output for scripts, CI, logs and screen readers: listr2's simple
 * renderer writing to stderr (stdout stays free for data), colours off when
 * NO_COLOR is set or stderr is not a terminal.
 */
import { ListrLogger, ProcessOutput, PRESET_TIMER } from 'listr2';
import type { PlanHooks, RendererChoice } from '../plans/context.js';
import type { RunSummary } from '../plans/types.js';
import { formatBytes, formatDuration, progressLine } from '../ui/format.js';
import { terminalPassphrase } from './passphrase.js';
import { settingsLines } from '../ui/settings-lines.js';

export function plainListrOptions(): RendererChoice {
	const logger = new ListrLogger({ processOutput: new ProcessOutput(process.stderr, process.stderr), useIcons: true });
	return {
		renderer: 'simple',
		fallbackRenderer: 'simple',
		rendererOptions: { logger, timer: PRESET_TIMER },
		fallbackRendererOptions: { logger, timer: PRESET_TIMER },
	};
}

export function plainHooks(): PlanHooks {
	// Rates and ETAs count from each stage's first report, not from program start.
	const started = new Map<string, number>();
	return {
		formatProgress: (progress) => {
			const now = Date.now();
			if (!started.has(progress.stage)) started.set(progress.stage, now);
			return progressLine(progress, now - (started.get(progress.stage) as number));
		},
		outputIntervalMs: 2000,
		askPassphrase: terminalPassphrase(),
		onSettingsPlan: (plan, chosen) => {
			for (const line of settingsLines(plan, (row) => chosen.includes(row.key))) process.stderr.write(`${line}\n`);
		},
	};
}

export function printSummary(summary: RunSummary, write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): void {
	const what = summary.kind === 'backup' ? 'Backup' : 'Restore';
	// Warnings first: the last line is the one a script's log shows, and it must be the outcome.
	for (const warning of summary.warnings) write(`warning: ${warning}`);
	if (summary.ok) {
		if (summary.manifestPath) write(`Manifest: ${summary.manifestPath}`);
		write(`${what} finished in ${formatDuration(summary.durationMs)}: ${summary.objects} objects, ${formatBytes(summary.bytes)} in ${summary.folder}`);
	} else {
		write(`${what} failed after ${formatDuration(summary.durationMs)}: ${summary.error ?? 'unknown error'}`);
	}
}
