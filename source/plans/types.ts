/**
 * The shapes shared by the plans, the wizard and the plain mode.
 */
import type { ConnectionSettings } from '../settings.js';
import type { ErrorKind } from '../errors.js';
import type { StageId } from '../progress.js';
import type { TaskView } from './task-view.js';

export type PlanKind = 'backup' | 'restore';

export interface PlanAnswers {
	kind: PlanKind;
	connection: ConnectionSettings;
	/** Backup: the folder to write. Restore: the backup folder to read. */
	folder: string;
	skipDatabase: boolean;
	skipVolume: boolean;
	/** Restore only: overwrite objects that differ in non-empty buckets. */
	force?: boolean;
	/** Restore only: the operator's ticks (true) and unticks (false) of platform settings, by key below /deis; the rest keep their defaults. */
	settingsChoice?: Record<string, boolean>;
}

/** One stage as a screen or --dry-run shows it before anything runs. */
export interface StagePreview {
	stage: StageId;
	title: string;
	/** The procedure's equivalent commands, as an operator would type them. */
	commands: string[];
	optional: boolean;
}

export interface RunSummary {
	kind: PlanKind;
	ok: boolean;
	folder: string;
	manifestPath?: string;
	objects: number;
	bytes: number;
	/** Objects actually moved this run (the rest were already in place). */
	transferred?: number;
	durationMs: number;
	warnings: string[];
	/** One plain sentence: what went wrong and what to do next. */
	error?: string;
	failedStage?: StageId;
	/** Stopped by the operator (Ctrl-C): what finished is kept and the same command resumes. */
	interrupted?: boolean;
	/** The failed stage may be skipped (database dump, store volume). */
	failedStageOptional?: boolean;
	/** Why it failed, which decides the exit code (errors.ts). */
	errorKind?: ErrorKind;
	/** What is wrong, one line each (damaged files, differences), behind `error`. */
	problems?: string[];
	/** Backup: this run picked up an unfinished backup in the folder. */
	resumed?: boolean;
	/** Backup: the run saved nothing and removed the folder it had created. */
	folderRemoved?: boolean;
	/** --dry-run: each skipped stage with the commands it would have run, in order. */
	dryRun?: StagePreview[];
}

export interface RunHandle {
	/** Views of the task tree, pushed on every change. */
	onViews: (views: TaskView[]) => void;
	signal: AbortSignal;
}
