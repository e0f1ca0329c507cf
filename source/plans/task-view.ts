/**
 * What a screen needs to draw one task of a plan: a renderer-neutral snapshot
 * of listr2's task tree plus the latest Progress of the task.
 */
import type { Progress } from '../progress.js';

export type TaskState = 'pending' | 'running' | 'done' | 'skipped' | 'warning' | 'failed' | 'retrying';

export interface TaskView {
	id: string;
	title: string;
	state: TaskState;
	/** Last line of output (plain renderers print these). */
	output?: string;
	/** Why it was skipped, what the warning or error was: one plain sentence. */
	message?: string;
	/** The equivalent commands from the procedure, for screens that teach them. */
	commands?: string[];
	progress?: Progress;
	startedAt?: number;
	endedAt?: number;
	subtasks: TaskView[];
}
