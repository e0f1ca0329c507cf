import { Box, Text } from 'ink';
import { useRef } from 'react';
import type { TaskState, TaskView } from '../../plans/task-view.js';
import { createRateMeter, formatDuration, progressLine, progressRatio } from '../format.js';
import type { RateMeter } from '../format.js';
import { stateColor, symbols } from '../symbols.js';
import { ProgressBar } from './progress-bar.js';
import { Spinner } from './spinner.js';

export interface TaskListProps {
	views: TaskView[];
	/** The clock the elapsed times are measured against; defaults to Date.now() at render. */
	now?: number;
	/**
	 * Lines the list may take. Every live line is cut at the terminal's edge, so
	 * each task takes a known number of lines; when they do not all fit, running
	 * tasks are kept and the rest are counted on a "… N more" line.
	 */
	maxLines?: number;
}

const FINISHED: ReadonlySet<TaskState> = new Set(['done', 'skipped', 'warning', 'failed']);

export function isFinished(view: TaskView): boolean {
	return FINISHED.has(view.state) && view.subtasks.every(isFinished);
}

const isActive = (view: TaskView) => view.state === 'running' || view.state === 'retrying';

/** One task's own lines (not its subtasks'), as the live list draws them. */
interface Row {
	view: TaskView;
	/** The ids from the top down: ids are unique among siblings only. */
	key: string;
	depth: number;
	/** Index of the parent row, -1 at the top. */
	parent: number;
	lines: number;
}

function flatten(views: TaskView[], depth = 0, parent = -1, into: Row[] = [], prefix = ''): Row[] {
	for (const view of views) {
		const active = isActive(view);
		const progressLines = active && view.progress ? (progressRatio(view.progress) !== undefined ? 2 : 1) : 0;
		const lines = 1 + (view.message ? 1 : 0) + (active && view.output ? 1 : 0) + progressLines;
		const key = `${prefix}/${view.id}`;
		into.push({ view, key, depth, parent, lines });
		flatten(view.subtasks, depth + 1, into.length - 1, into, key);
	}
	return into;
}

/** Which rows to draw, in order, and how many were left out. */
export function fitRows(views: TaskView[], maxLines: number): { rows: Row[]; hidden: number } {
	const all = flatten(views);
	const total = all.reduce((sum, row) => sum + row.lines, 0);
	if (total <= maxLines) return { rows: all, hidden: 0 };
	// One line is kept for the count of what is not shown.
	let budget = maxLines - 1;
	const chosen = new Set<number>();
	const take = (index: number): boolean => {
		const path: number[] = [];
		for (let i = index; i !== -1 && !chosen.has(i); i = all[i]!.parent) path.push(i);
		const cost = path.reduce((sum, i) => sum + all[i]!.lines, 0);
		if (cost > budget) return false;
		for (const i of path) chosen.add(i);
		budget -= cost;
		return true;
	};
	const rank = (row: Row) => (isActive(row.view) ? 0 : row.view.state === 'failed' || row.view.state === 'warning' ? 1 : row.view.state === 'pending' ? 3 : 2);
	const order = all.map((row, index) => ({ index, rank: rank(row) })).sort((a, b) => a.rank - b.rank || a.index - b.index);
	for (const { index } of order) take(index);
	const rows = all.filter((_, index) => chosen.has(index));
	return { rows, hidden: all.length - rows.length };
}

/** The live list: short, every line cut at the edge. */
export function TaskList({ views, now, maxLines = Number.POSITIVE_INFINITY }: TaskListProps) {
	const at = now ?? Date.now();
	const { rows, hidden } = fitRows(views, maxLines);
	return (
		<Box flexDirection="column">
			{rows.map((row) => (
				<LiveRow key={row.key} view={row.view} depth={row.depth} now={at} />
			))}
			{hidden > 0 ? <Text dimColor>… {hidden === 1 ? '1 more task' : `${hidden} more tasks`}</Text> : null}
		</Box>
	);
}

function LiveRow({ view, depth, now }: { view: TaskView; depth: number; now: number }) {
	const active = isActive(view);
	return (
		<Box flexDirection="column" marginLeft={depth * 2}>
			<TitleLine view={view} now={now} wrap="truncate-end" />
			<Box flexDirection="column" marginLeft={2}>
				{view.message ? <MessageLine view={view} wrap="truncate-end" /> : null}
				{active && view.output ? (
					<Text dimColor wrap="truncate-end">
						{view.output}
					</Text>
				) : null}
				{active && view.progress ? <ProgressRows view={view} now={now} indent={depth * 2 + 2} /> : null}
			</Box>
		</Box>
	);
}

/** A finished task as it goes into the transcript: whole sentences, wrapped, with its subtasks. */
export function FinishedTask({ view, depth = 0 }: { view: TaskView; depth?: number }) {
	return (
		<Box flexDirection="column" marginLeft={depth * 2}>
			<TitleLine view={view} now={view.endedAt ?? view.startedAt ?? 0} wrap="wrap" />
			{view.message ? (
				<Box marginLeft={2}>
					<MessageLine view={view} wrap="wrap" />
				</Box>
			) : null}
			{view.subtasks.map((sub) => (
				<FinishedTask key={sub.id} view={sub} depth={depth + 1} />
			))}
		</Box>
	);
}

type Wrap = 'wrap' | 'truncate-end';

function TitleLine({ view, now, wrap }: { view: TaskView; now: number; wrap: Wrap }) {
	const elapsed = view.startedAt !== undefined ? (view.endedAt ?? now) - view.startedAt : undefined;
	return (
		// The mark in a column of fixed width: a margin on the shrinking title box makes Ink cut the title one column too late.
		<Box>
			<Box width={2} flexShrink={0}>
				<StateMark view={view} />
			</Box>
			<Box flexShrink={1}>
				<Text wrap={wrap}>
					<Text color={view.state === 'pending' ? 'gray' : undefined}>{view.title}</Text>
					{elapsed !== undefined && view.state !== 'pending' && view.state !== 'skipped' ? <Text dimColor> ({formatDuration(elapsed)})</Text> : null}
				</Text>
			</Box>
		</Box>
	);
}

function StateMark({ view }: { view: TaskView }) {
	const color = stateColor[view.state];
	switch (view.state) {
		case 'running':
			return <Spinner color={color} />;
		case 'done':
			return <Text color={color}>{symbols.done}</Text>;
		case 'failed':
			return <Text color={color}>{symbols.failed}</Text>;
		case 'warning':
			return <Text color={color}>{symbols.warning}</Text>;
		case 'skipped':
			return <Text color={color}>{symbols.skipped}</Text>;
		case 'retrying':
			return <Text color={color}>{symbols.retrying}</Text>;
		default:
			return <Text color={color}>{symbols.pending}</Text>;
	}
}

const MESSAGE_PREFIX: Partial<Record<TaskView['state'], string>> = {
	skipped: 'skipped: ',
	warning: 'warning: ',
	retrying: 'retrying after: ',
	running: 'note: ',
};

function MessageLine({ view, wrap }: { view: TaskView; wrap: Wrap }) {
	return (
		<Text color={stateColor[view.state]} wrap={wrap}>
			{MESSAGE_PREFIX[view.state] ?? ''}
			{view.message}
		</Text>
	);
}

function ProgressRows({ view, now, indent }: { view: TaskView; now: number; indent: number }) {
	// One meter per row instance; React keeps it across renders by the row's key (the task id).
	const meter = useRef<RateMeter | null>(null);
	meter.current ??= createRateMeter();
	const progress = view.progress;
	if (!progress) return null;
	// Sampling during render is safe: the meter ignores a repeated (bytes, time) pair.
	meter.current.sample(progress.bytesDone, now);
	const elapsed = view.startedAt !== undefined ? now - view.startedAt : 0;
	const ratio = progressRatio(progress);
	const rate = meter.current.rate();
	return (
		<Box flexDirection="column">
			{ratio !== undefined ? <ProgressBar ratio={ratio} reserve={indent + 6} /> : null}
			<Text wrap="truncate-end">{progressLine(progress, elapsed, rate !== undefined ? { rate } : {})}</Text>
		</Box>
	);
}
