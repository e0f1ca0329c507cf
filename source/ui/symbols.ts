/**
 * The marks every screen uses. Meaning is carried by these and by words,
 * never by colour alone, so NO_COLOR terminals and screen readers lose nothing.
 */
import type { TaskState } from '../plans/task-view.js';

export const symbols = {
	done: '✔',
	failed: '✖',
	warning: '⚠',
	skipped: '↓',
	pending: '◼',
	retrying: '↻',
	pointer: '❯',
	question: '?',
	info: 'ℹ',
} as const;

/** Ink colour names per state; only ever paired with a symbol. */
export const stateColor: Record<TaskState, string | undefined> = {
	pending: 'gray',
	running: 'cyan',
	done: 'green',
	skipped: 'yellow',
	warning: 'yellow',
	failed: 'red',
	retrying: 'yellow',
};
