import { Box, Text } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { PlanAnswers, RunSummary } from '../../plans/types.js';
import type { TaskView } from '../../plans/task-view.js';
import { formatDuration } from '../format.js';
import type { WizardServices } from '../services.js';
import { isCtrlC, useKeys } from '../use-keys.js';
import { Spinner } from './spinner.js';
import { TaskList } from './task-list.js';

export interface RunScreenProps {
	answers: PlanAnswers;
	run: WizardServices['run'];
	clock: () => number;
	onDone: (summary: RunSummary, aborted: boolean) => void;
}

/**
 * One run of the plan: owns its AbortController, shows the task tree as the
 * run reports it, and turns Ctrl-C into a safe stop rather than a kill.
 */
export function RunScreen({ answers, run, clock, onDone }: RunScreenProps) {
	const [views, setViews] = useState<TaskView[]>([]);
	const [startedAt] = useState(clock);
	const [now, setNow] = useState(startedAt);
	const [stopping, setStopping] = useState(false);
	const controller = useRef<AbortController | null>(null);
	// The latest callback without restarting the run when the parent re-renders.
	const done = useRef(onDone);
	done.current = onDone;

	useEffect(() => {
		const abort = new AbortController();
		controller.current = abort;
		let live = true;
		const begin = clock();
		run(answers, { onViews: (next) => live && setViews(next), signal: abort.signal })
			.catch((error: unknown): RunSummary => ({
				kind: answers.kind,
				ok: false,
				folder: answers.folder,
				objects: 0,
				bytes: 0,
				durationMs: clock() - begin,
				warnings: [],
				error: error instanceof Error ? error.message : String(error),
			}))
			.then((summary) => {
				if (live) done.current(summary, abort.signal.aborted);
			});
		return () => {
			live = false;
			// Leaving the screen (unmount) must never leave a run going unattended.
			abort.abort();
		};
	}, []);

	useEffect(() => {
		const timer = setInterval(() => setNow(clock()), 1000);
		return () => clearInterval(timer);
	}, [clock]);

	useKeys((input, key) => {
		if (!isCtrlC(input, key) || stopping) return;
		setStopping(true);
		controller.current?.abort();
	});

	const c = answers.connection;
	return (
		<Box flexDirection="column">
			<Text bold>
				{answers.kind === 'backup' ? 'Backing up' : 'Restoring'} {c.user}@{c.host}:{c.port} {answers.kind === 'backup' ? '→' : '←'} {answers.folder}
			</Text>
			<Box marginY={1}>
				<TaskList views={views} now={now} />
			</Box>
			<Text dimColor>Elapsed {formatDuration(now - startedAt)}</Text>
			{stopping ? (
				<Text color="yellow">
					<Spinner color="yellow" /> Stopping safely… finishing the current file so nothing is left half-written.
				</Text>
			) : (
				<Text dimColor>Ctrl-C stops safely; run the same command again to resume.</Text>
			)}
		</Box>
	);
}
