/**
 * The restore's platform settings before anything is written: what will be
 * set (ticked), what the operator may add or leave out, what is already
 * there and what is never copied, with why. Secrets arrive masked.
 */
import { Box, Text } from 'ink';
import { useRef, useState } from 'react';
import type { SettingRow, SettingsPlan } from '../../steps/settings/plan.js';
import { rowText, STATUS_WORD } from '../settings-lines.js';
import { symbols } from '../symbols.js';
import { liveLineBudget, Printed, useTerminalSize } from '../transcript.js';
import { isCtrlC, useKeys } from '../use-keys.js';

export interface SettingsPickerProps {
	plan: SettingsPlan;
	/** Key → apply, for the rows whose tick differs from the default. */
	onSubmit: (choice: Record<string, boolean>) => void;
	/** Choosable rows shown at once; the list scrolls with the pointer. */
	window?: number;
}

const OTHERS_SHOWN = 10;
const QUESTION_LABEL = 'Platform settings to apply to the new cluster';
const QUESTION_KEYS = '(↑/↓, Space ticks, Enter applies)';
const QUESTION = `${symbols.question} ${QUESTION_LABEL} ${QUESTION_KEYS}`;

/** ↑/↓ move, Space ticks or unticks, Enter applies what is ticked. */
export function SettingsPicker({ plan, onSubmit, window = 12 }: SettingsPickerProps) {
	const rows = plan.rows.filter((row) => row.choosable);
	const others = plan.rows.filter((row) => !row.choosable);
	const [ticked, setTicked] = useState(() => new Map(rows.map((row) => [row.key, row.chosen])));
	const [index, setIndex] = useState(0);
	const [done, setDone] = useState<number | undefined>();
	const state = useRef({ index: 0, ticked, answered: false });
	state.current.ticked = ticked;
	const { columns, rows: terminalRows } = useTerminalSize();

	useKeys(
		(input, key) => {
			if (isCtrlC(input, key)) return;
			if (rows.length > 0 && (key.upArrow || input === 'k' || key.downArrow || input === 'j')) {
				const next = (state.current.index + (key.upArrow || input === 'k' ? -1 : 1) + rows.length) % rows.length;
				state.current.index = next;
				setIndex(next);
			} else if (input === ' ' && rows.length > 0) {
				const row = rows[state.current.index] as SettingRow;
				const map = new Map(state.current.ticked);
				map.set(row.key, !map.get(row.key));
				state.current.ticked = map;
				setTicked(map);
			} else if (key.return && !state.current.answered) {
				// Keys can outrun the re-render that retires this prompt.
				state.current.answered = true;
				const choice: Record<string, boolean> = {};
				for (const row of rows) if (state.current.ticked.get(row.key) !== row.chosen) choice[row.key] = state.current.ticked.get(row.key) === true;
				setDone([...state.current.ticked.values()].filter(Boolean).length);
				onSubmit(choice);
			}
		},
		done === undefined,
	);

	if (done !== undefined) {
		return (
			<Text>
				<Text color="green">{symbols.done}</Text> Platform settings <Text dimColor>·</Text> {done} to apply, {plan.upgrade.message}
			</Text>
		);
	}
	const line = (row: SettingRow) => `${ticked.get(row.key) ? '[x]' : '[ ]'} ${STATUS_WORD[row.status].padEnd(9)} ${rowText(row)}`;
	// Around the rows, which wrap: the question, the "… more above/below" lines and one line to spare.
	const { first, count: shown } = windowAround(
		rows.map((row) => wrappedLines(line(row), columns - 2)),
		index,
		Math.min(window, rows.length),
		liveLineBudget(terminalRows) - wrappedLines(QUESTION, columns) - 3,
	);
	const visible = rows.slice(first, first + shown);
	return (
		<Box flexDirection="column">
			{/* What does not change goes into the transcript once; the live frame keeps to the terminal's height. */}
			<Printed>
				<Box flexDirection="column">
					<Text>
						{symbols.info} {plan.upgrade.message}
					</Text>
					{plan.upgrade.warning ? (
						<Text color="yellow">
							{symbols.warning} {plan.upgrade.warning}
						</Text>
					) : null}
					{others.slice(0, OTHERS_SHOWN).map((row) => (
						<Text key={`other:${row.key}`} dimColor>
							{'      '}
							{STATUS_WORD[row.status]}: {rowText(row)}
						</Text>
					))}
					{others.length > OTHERS_SHOWN ? <Text dimColor>{`      … ${others.length - OTHERS_SHOWN} more not copied (deis-backup settings DIR lists every saved key)`}</Text> : null}
				</Box>
			</Printed>
			<Text>
				<Text color="cyan">{symbols.question}</Text> <Text bold>{QUESTION_LABEL}</Text>
				<Text dimColor> {QUESTION_KEYS}</Text>
			</Text>
			{first > 0 ? <Text dimColor>  … {first} more above</Text> : null}
			{visible.map((row, i) => {
				const at = first + i === index;
				return (
					<Box key={row.key}>
						<Box width={2} flexShrink={0}>
							<Text color="cyan">{at ? symbols.pointer : ' '}</Text>
						</Box>
						<Text color={at ? 'cyan' : undefined}>{line(row)}</Text>
					</Box>
				);
			})}
			{first + shown < rows.length ? <Text dimColor>  … {rows.length - first - shown} more below</Text> : null}
		</Box>
	);
}

/** Lines a text takes when wrapped at word boundaries to `width` columns, as Ink wraps it. */
export function wrappedLines(text: string, width: number): number {
	if (width <= 0) return 1;
	let lines = 1;
	let used = 0;
	for (const word of text.split(' ')) {
		let length = [...word].length;
		if (used > 0 && used + 1 + length <= width) {
			used += 1 + length;
			continue;
		}
		if (used > 0) lines++;
		// A word longer than the line is cut into whole lines.
		while (length > width) {
			lines++;
			length -= width;
		}
		used = length;
	}
	return lines;
}

/**
 * The rows to show around the pointer: as many as fit in `lines` (each row
 * taking its height), at most `most`, the pointer's row always among them.
 */
export function windowAround(heights: number[], index: number, most: number, lines: number): { first: number; count: number } {
	let first = index;
	let count = heights.length === 0 ? 0 : 1;
	let used = heights[index] ?? 0;
	// Grow below and above in turn, so the pointer stays near the middle.
	for (let grew = true; grew && count < most; ) {
		grew = false;
		for (const below of [true, false]) {
			if (count >= most) break;
			const next = below ? first + count : first - 1;
			const height = heights[next];
			if (height === undefined || used + height > lines) continue;
			used += height;
			count++;
			if (!below) first--;
			grew = true;
		}
	}
	return { first, count };
}
