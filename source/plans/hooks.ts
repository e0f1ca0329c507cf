/**
 * How a plan talks to whoever draws it: the hooks a face passes in, and the
 * forwarding of each step's progress and warnings to them, throttled.
 */
import type { ListrBaseClassOptions, ListrTaskWrapper } from 'listr2';
import type { ConnectOptions } from '../cluster/ssh.js';
import type { Progress, Report } from '../progress.js';
import type { SettingsPlan } from '../steps/settings/plan.js';

export interface PlanHooks {
	/** Every Progress of a task, for screens that draw bars. */
	onProgress?: (taskId: string, progress: Progress) => void;
	/** A finished task that has something to say (tar's live-file warning). */
	onWarning?: (taskId: string, message: string) => void;
	/** One line for line renderers; leave undefined to keep the task output quiet. */
	formatProgress?: (progress: Progress) => string;
	/** Minimum time between output lines (line renderers print every one). */
	outputIntervalMs?: number;
	confirmHostKey?: (hostLabel: string, fingerprint: string) => Promise<boolean>;
	/** Asks for a key's passphrase; left out without a terminal. */
	askPassphrase?: ConnectOptions['askPassphrase'];
	/** The restore's settings preview and the keys about to be written, before any is (line renderers print it). */
	onSettingsPlan?: (plan: SettingsPlan, chosen: readonly string[]) => void;
}

/** A warning kept for the summary and shown on its task as it happens. */
export function warnInto(warnings: string[], task: AnyTask, hooks: PlanHooks): (message: string) => void {
	return (message) => {
		warnings.push(message);
		hooks.onWarning?.(task.task.id, message);
		task.output = `warning: ${message}`;
	};
}

// The plans' tasks run under any renderer; only output/title/id are used.
export type AnyTask = ListrTaskWrapper<any, any, any>;

/** Which listr2 renderer draws the plan, and its options. */
export type RendererChoice = Omit<ListrBaseClassOptions<any, any, any>, 'ctx' | 'exitOnError'>;

/**
 * A Report that feeds both the screen's bus and the task's output line, each
 * throttled: steps report every chunk, and redrawing per chunk would cost more
 * than the transfer itself.
 */
export function reporterFor(task: AnyTask, hooks: PlanHooks): Report {
	const id = task.task.id;
	let lastEvent = 0;
	let lastOutput = 0;
	const outputInterval = hooks.outputIntervalMs ?? 100;
	return (progress) => {
		const now = Date.now();
		const urgent = progress.level === 'warn' || (progress.bytesTotal !== undefined && progress.bytesDone >= progress.bytesTotal) || (progress.itemsTotal !== undefined && progress.itemsDone === progress.itemsTotal);
		if (hooks.onProgress && (urgent || now - lastEvent >= PROGRESS_INTERVAL_MS)) {
			lastEvent = now;
			hooks.onProgress(id, progress);
		}
		if (hooks.formatProgress && (urgent || now - lastOutput >= outputInterval)) {
			lastOutput = now;
			task.output = hooks.formatProgress(progress);
		}
	};
}

/** About 20 screen updates a second: smooth to the eye, cheap for the CPU. */
const PROGRESS_INTERVAL_MS = 50;
