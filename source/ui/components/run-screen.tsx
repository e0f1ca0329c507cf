import { Box, Text } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { PlanAnswers, RunSummary } from '../../plans/types.js';
import type { TaskView } from '../../plans/task-view.js';
import { formatDuration } from '../format.js';
import type { WizardServices } from '../services.js';
import { liveLineBudget, usePrint, useTerminalSize } from '../transcript.js';
import { isCtrlC, useKeys } from '../use-keys.js';
import { Spinner } from './spinner.js';
import { FinishedTask, isFinished, TaskList } from './task-list.js';
import { messageOf } from '../../errors.js';

export interface RunScreenProps {
	answers: PlanAnswers;
	run: WizardServices['run'];
	clock: () => number;
	onDone: (summary: RunSummary, aborted: boolean) => void;
}

/** The live lines around the task list: the elapsed time and the Ctrl-C line. */
const CHROME_LINES = 2;

/**
 * One run of the plan: owns its AbortController, shows the task tree as the
 * run reports it, and turns Ctrl-C into a safe stop rather than a kill.
 * Tasks leave the live frame for the transcript as soon as they and every
 * task before them have finished, so the frame stays within the terminal.
 */
export function RunScreen({ answers, run, clock, onDone }: RunScreenProps) {
	const print = usePrint();
	const { rows } = useTerminalSize();
	const [views, setViews] = useState<TaskView[]>([]);
	const [startedAt] = useState(clock);
	const [now, setNow] = useState(startedAt);
	const [stopping, setStopping] = useState(false);
	const controller = useRef<AbortController | null>(null);
	const latest = useRef<TaskView[]>([]);
	/** How many top-level tasks are in the transcript already. */
	const printed = useRef(0);
	// The latest callback without restarting the run when the parent re-renders.
	const done = useRef(onDone);
	done.current = onDone;

	const printFinished = (all: TaskView[], everything: boolean) => {
		while (printed.current < all.length) {
			const view = all[printed.current]!;
			if (!everything && !isFinished(view)) break;
			printed.current++;
			// A run that stopped leaves its untouched tasks out: the summary says what next.
			if (view.state !== 'pending') print(<FinishedTask view={view} />);
		}
	};

	useEffect(() => {
		const c = answers.connection;
		print(
			<Box marginBottom={1}>
				<Text bold wrap="wrap">
					{answers.kind === 'backup' ? 'Backing up' : 'Restoring'} {c.user}@{c.host}:{c.port} {answers.kind === 'backup' ? '→' : '←'} {answers.folder}
				</Text>
			</Box>,
		);
		const abort = new AbortController();
		controller.current = abort;
		let live = true;
		const begin = clock();
		run(answers, {
			onViews: (next) => {
				if (!live) return;
				latest.current = next;
				printFinished(next, false);
				setViews(next);
			},
			signal: abort.signal,
		})
			.catch((error: unknown): RunSummary => ({
				kind: answers.kind,
				ok: false,
				folder: answers.folder,
				objects: 0,
				bytes: 0,
				durationMs: clock() - begin,
				warnings: [],
				error: messageOf(error),
			}))
			.then((summary) => {
				if (!live) return;
				printFinished(latest.current, true);
				done.current(summary, abort.signal.aborted);
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

	return (
		<Box flexDirection="column">
			<TaskList views={views.slice(printed.current)} now={now} maxLines={liveLineBudget(rows) - CHROME_LINES} />
			<Text dimColor wrap="truncate-end">
				Elapsed {formatDuration(now - startedAt)}
			</Text>
			{stopping ? (
				<Text color="yellow" wrap="truncate-end">
					<Spinner color="yellow" /> Stopping safely… finishing the current file first.
				</Text>
			) : (
				<Text dimColor wrap="truncate-end">
					Ctrl-C stops safely; run the same command again to resume.
				</Text>
			)}
		</Box>
	);
}
