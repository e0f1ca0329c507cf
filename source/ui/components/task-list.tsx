import { Box, Text } from 'ink';
import { useRef } from 'react';
import type { TaskView } from '../../plans/task-view.js';
import { createRateMeter, formatDuration, progressLine, progressRatio } from '../format.js';
import type { RateMeter } from '../format.js';
import { stateColor, symbols } from '../symbols.js';
import { ProgressBar } from './progress-bar.js';
import { Spinner } from './spinner.js';

export interface TaskListProps {
	views: TaskView[];
	/** The clock the elapsed times are measured against; defaults to Date.now() at render. */
	now?: number;
}

export function TaskList({ views, now }: TaskListProps) {
	const at = now ?? Date.now();
	return (
		<Box flexDirection="column">
			{views.map((view) => (
				<TaskRow key={view.id} view={view} now={at} depth={0} />
			))}
		</Box>
	);
}

function TaskRow({ view, now, depth }: { view: TaskView; now: number; depth: number }) {
	const active = view.state === 'running' || view.state === 'retrying';
	const elapsed = view.startedAt !== undefined ? (view.endedAt ?? now) - view.startedAt : undefined;
	return (
		<Box flexDirection="column" marginLeft={depth * 2}>
			<Box>
				<StateMark view={view} />
				<Text color={view.state === 'pending' ? 'gray' : undefined}> {view.title}</Text>
				{elapsed !== undefined && view.state !== 'pending' && view.state !== 'skipped' ? <Text dimColor> ({formatDuration(elapsed)})</Text> : null}
			</Box>
			<Box flexDirection="column" marginLeft={2}>
				{view.message ? <MessageLine view={view} /> : null}
				{active && view.output ? (
					<Text dimColor wrap="truncate-end">
						{view.output}
					</Text>
				) : null}
				{active && view.progress ? <ProgressRows view={view} now={now} indent={depth * 2 + 2} /> : null}
			</Box>
			{view.subtasks.map((sub) => (
				<TaskRow key={sub.id} view={sub} now={now} depth={depth + 1} />
			))}
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

function MessageLine({ view }: { view: TaskView }) {
	return (
		<Text color={stateColor[view.state]}>
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
