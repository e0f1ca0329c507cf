/**
 * What backup and restore do around their task trees alike: run the tree on
 * a context, turn how it ended into the typed RunSummary (the error's kind
 * decides the exit code), release what the run opened, and add the totals.
 */
import { setMaxListeners } from 'node:events';
import { resolve } from 'node:path';
import { Listr, type ListrTask } from 'listr2';
import { kindOf, messageOf, UserError } from '../errors.js';
import type { RendererChoice } from './hooks.js';
import type { PlanKind, RunSummary, StagePreview } from './types.js';

/** What every plan's context keeps for the summary. */
export interface PlanContext {
	warnings: string[];
	transferred: number;
	/** --dry-run: what each skipped stage would have run. */
	skipped: StagePreview[];
}

export interface PlanRun<C extends PlanContext> {
	kind: PlanKind;
	folder: string;
	signal: AbortSignal;
	dryRun?: boolean;
	ctx: C;
	tasks: ListrTask<C>[];
	listrOptions: RendererChoice;
	/** The tree finished: what the plan adds (a manifest path, a mismatch found by its verify). */
	finished?: (summary: RunSummary) => void;
	/** The tree threw; summary.error and errorKind are already set. */
	failed?: (summary: RunSummary) => Promise<void> | void;
	/** Close what the run opened, whether it finished or not. */
	release: () => Promise<void>;
	/** objects, bytes and the like, from the context. */
	totals: (summary: RunSummary) => void;
}

export function planFolder(answers: { folder: string }): string {
	return resolve(answers.folder);
}

export async function runPlan<C extends PlanContext>(run: PlanRun<C>): Promise<RunSummary> {
	const started = Date.now();
	// Every request in flight listens on the signal: hundreds of listeners are expected.
	setMaxListeners(0, run.signal);
	const summary: RunSummary = { kind: run.kind, ok: false, folder: run.folder, objects: 0, bytes: 0, durationMs: 0, warnings: run.ctx.warnings };
	try {
		await new Listr<C>(run.tasks, { ...run.listrOptions, ctx: run.ctx, exitOnError: true, registerSignalListeners: false }).run(run.ctx);
		summary.ok = true;
		run.finished?.(summary);
	} catch (error) {
		summary.error = messageOf(error);
		summary.errorKind = run.signal.aborted ? 'interrupted' : kindOf(error);
		if (error instanceof UserError && error.details.length > 0) summary.problems = error.details;
		await run.failed?.(summary);
	} finally {
		await run.release();
	}
	run.totals(summary);
	summary.transferred = run.ctx.transferred;
	summary.durationMs = Date.now() - started;
	summary.interrupted = run.signal.aborted;
	if (run.dryRun && summary.ok) summary.dryRun = run.ctx.skipped;
	return summary;
}
