/**
 * A tiny typed channel from running steps to whatever draws them.
 *
 * listr2's own output channel carries only strings; byte counts and warnings
 * need structure, so steps publish here keyed by the listr2 task id (or the
 * `id` given in the task's rendererOptions) and the bridge merges them into
 * the task views.
 */
import type { Progress, Report } from '../progress.js';

export type BusEvent =
	| { type: 'progress'; taskId: string; progress: Progress }
	| { type: 'warning'; taskId: string; message: string };

export type BusListener = (event: BusEvent) => void;

export interface ProgressBus {
	emit(taskId: string, progress: Progress): void;
	/** Marks the task as finished with a warning (it still counts as done). */
	warn(taskId: string, message: string): void;
	/** Returns the unsubscribe function. */
	on(listener: BusListener): () => void;
	/** A step-shaped `Report` bound to one task; `level: 'warn'` messages also become warnings. */
	reporter(taskId: string): Report;
}

export function createProgressBus(): ProgressBus {
	const listeners = new Set<BusListener>();
	const send = (event: BusEvent): void => {
		for (const listener of [...listeners]) listener(event);
	};
	const bus: ProgressBus = {
		emit(taskId, progress) {
			send({ type: 'progress', taskId, progress });
		},
		warn(taskId, message) {
			send({ type: 'warning', taskId, message });
		},
		on(listener) {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
		reporter(taskId) {
			return (progress) => {
				bus.emit(taskId, progress);
				if (progress.level === 'warn' && progress.message) bus.warn(taskId, progress.message);
			};
		},
	};
	return bus;
}
