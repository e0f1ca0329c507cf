/**
 * A listr2 renderer that draws nothing.
 *
 * listr2's own renderers take over stdout, which fights Ink for the screen.
 * This one only watches the task tree and hands renderer-neutral TaskView
 * snapshots to `onViews`, so Ink (or a plain line printer) decides how they
 * look. Pass it as `renderer: ViewRenderer` with `rendererOptions: { onViews }`.
 */
import { ListrTaskEventType, ListrTaskState } from 'listr2';
import type { ListrRenderer, ListrTaskObject } from 'listr2';
import type { TaskState, TaskView } from '../plans/task-view.js';
import type { Progress } from '../progress.js';
import type { ProgressBus } from './progress-bus.js';

export interface ViewRendererOptions {
	/** Called with a fresh snapshot of the whole tree after every change. */
	onViews: (views: TaskView[]) => void;
	/** Structured progress and warnings, keyed by task id. */
	bus?: ProgressBus;
	/** Clock for startedAt/endedAt; injectable so tests are deterministic. */
	now?: () => number;
}

export interface ViewRendererTaskOptions {
	/** A stable id for the view (e.g. the StageId) instead of listr2's random UUID; bus events may use either. */
	id?: string;
	/** The procedure's equivalent commands, carried into the view. */
	commands?: string[];
}

type BridgeTask = ListrTaskObject<any, typeof ViewRenderer, typeof ViewRenderer>;

interface Timing {
	startedAt?: number;
	endedAt?: number;
}

export class ViewRenderer implements ListrRenderer {
	static nonTTY = true;
	static rendererOptions: ViewRendererOptions = { onViews: () => {} };
	static rendererTaskOptions: ViewRendererTaskOptions = {};

	private readonly options: ViewRendererOptions;
	private readonly subscribed = new WeakSet<BridgeTask>();
	private readonly timings = new Map<string, Timing>();
	private readonly progress = new Map<string, Progress>();
	private readonly warnings = new Map<string, string[]>();
	private unsubscribeBus: (() => void) | undefined;
	private ended = false;

	constructor(
		private readonly tasks: BridgeTask[],
		options: ViewRendererOptions,
	) {
		this.options = { ...ViewRenderer.rendererOptions, ...options };
	}

	render(): void {
		this.subscribe(this.tasks);
		this.unsubscribeBus = this.options.bus?.on((event) => {
			if (this.ended) return;
			if (event.type === 'progress') this.progress.set(event.taskId, event.progress);
			else this.warnings.set(event.taskId, [...(this.warnings.get(event.taskId) ?? []), event.message]);
			this.publish();
		});
		this.publish();
	}

	end(): void {
		if (this.ended) return;
		this.publish();
		this.ended = true;
		this.unsubscribeBus?.();
	}

	/** The current snapshot, for callers that want to poll rather than listen. */
	views(): TaskView[] {
		return this.build(this.tasks);
	}

	private now(): number {
		return (this.options.now ?? Date.now)();
	}

	private subscribe(tasks: BridgeTask[]): void {
		for (const task of tasks) {
			if (this.subscribed.has(task)) continue;
			this.subscribed.add(task);
			task.on(ListrTaskEventType.STATE, (state) => {
				this.recordTiming(task, state);
				this.publish();
			});
			task.on(ListrTaskEventType.SUBTASK, (subtasks) => {
				this.subscribe(subtasks as BridgeTask[]);
				this.publish();
			});
			for (const type of [ListrTaskEventType.OUTPUT, ListrTaskEventType.TITLE, ListrTaskEventType.MESSAGE, ListrTaskEventType.ENABLED] as const) {
				task.on(type, () => this.publish());
			}
			if (task.subtasks) this.subscribe(task.subtasks);
		}
	}

	private recordTiming(task: BridgeTask, state: ListrTaskState): void {
		const timing = this.timings.get(task.id) ?? {};
		if (state === ListrTaskState.STARTED && timing.startedAt === undefined) timing.startedAt = this.now();
		if (FINAL_STATES.has(state)) timing.endedAt = this.now();
		this.timings.set(task.id, timing);
	}

	private publish(): void {
		if (this.ended) return;
		this.options.onViews(this.build(this.tasks));
	}

	private build(tasks: BridgeTask[]): TaskView[] {
		const views: TaskView[] = [];
		for (const task of tasks) {
			// Tasks whose `enabled` resolved false never run: they are not part of this plan.
			if (task.isEnabled() === false) continue;
			const subtasks = task.subtasks ? this.build(task.subtasks) : [];
			// Title-less tasks are plumbing: show their children in their place.
			if (!task.hasTitle()) {
				views.push(...subtasks);
				continue;
			}
			views.push(this.viewOf(task, subtasks));
		}
		return views;
	}

	private viewOf(task: BridgeTask, subtasks: TaskView[]): TaskView {
		const taskOptions = (task.rendererTaskOptions ?? {}) as ViewRendererTaskOptions;
		const id = taskOptions.id ?? task.id;
		const warnings = this.warnings.get(id) ?? this.warnings.get(task.id) ?? [];
		let state = mapState(task.state);
		let message = messageFor(task, state);
		if (warnings.length > 0 && (state === 'done' || state === 'running')) {
			if (state === 'done') state = 'warning';
			message = warnings.join(' ');
		}
		const view: TaskView = { id, title: task.title ?? '', state, subtasks };
		const output = lastLine(task.output);
		if (output !== undefined) view.output = output;
		if (message !== undefined) view.message = message;
		if (taskOptions.commands) view.commands = taskOptions.commands;
		const progress = this.progress.get(id) ?? this.progress.get(task.id);
		if (progress) view.progress = progress;
		const timing = this.timings.get(task.id);
		if (timing?.startedAt !== undefined) view.startedAt = timing.startedAt;
		if (timing?.endedAt !== undefined && state !== 'running' && state !== 'retrying') view.endedAt = timing.endedAt;
		return view;
	}
}

const FINAL_STATES = new Set<ListrTaskState>([ListrTaskState.COMPLETED, ListrTaskState.FAILED, ListrTaskState.SKIPPED, ListrTaskState.ROLLED_BACK]);

function mapState(state: ListrTaskState): TaskState {
	switch (state) {
		case ListrTaskState.WAITING:
			return 'pending';
		case ListrTaskState.COMPLETED:
			return 'done';
		case ListrTaskState.SKIPPED:
			return 'skipped';
		case ListrTaskState.FAILED:
		case ListrTaskState.ROLLED_BACK:
			return 'failed';
		case ListrTaskState.RETRY:
		case ListrTaskState.PAUSED:
			return 'retrying';
		default:
			// STARTED, PROMPT*, ROLLING_BACK: work is under way.
			return 'running';
	}
}

function messageFor(task: BridgeTask, state: TaskState): string | undefined {
	switch (state) {
		case 'skipped':
			return task.message.skip;
		case 'failed':
			return task.message.error ?? task.message.rollback;
		case 'retrying': {
			const error = task.retry?.error;
			return error instanceof Error ? error.message : task.message.error;
		}
		default:
			return undefined;
	}
}

function lastLine(text: string | undefined): string | undefined {
	if (!text) return undefined;
	const lines = text.split('\n').map((line) => line.trimEnd()).filter((line) => line !== '');
	return lines[lines.length - 1];
}

/**
 * Options for `new Listr(tasks, { ...bridgeListrOptions(handle.onViews, bus), ... })`.
 * The fallback is the bridge too, so nothing ever writes to stdout under Ink,
 * and listr2's SIGINT handler (which calls process.exit) stays off: runs stop
 * through the RunHandle's AbortSignal instead.
 */
export function bridgeListrOptions(onViews: (views: TaskView[]) => void, bus?: ProgressBus) {
	const rendererOptions: ViewRendererOptions = bus ? { onViews, bus } : { onViews };
	return {
		renderer: ViewRenderer,
		rendererOptions,
		fallbackRenderer: ViewRenderer,
		fallbackRendererOptions: rendererOptions,
		registerSignalListeners: false,
	};
}
