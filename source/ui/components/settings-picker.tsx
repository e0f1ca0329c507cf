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
import { isCtrlC, useKeys } from '../use-keys.js';

export interface SettingsPickerProps {
	plan: SettingsPlan;
	/** Key → apply, for the rows whose tick differs from the default. */
	onSubmit: (choice: Record<string, boolean>) => void;
	/** Choosable rows shown at once; the list scrolls with the pointer. */
	window?: number;
}

const OTHERS_SHOWN = 10;

/** ↑/↓ move, Space ticks or unticks, Enter applies what is ticked. */
export function SettingsPicker({ plan, onSubmit, window = 12 }: SettingsPickerProps) {
	const rows = plan.rows.filter((row) => row.choosable);
	const others = plan.rows.filter((row) => !row.choosable);
	const [ticked, setTicked] = useState(() => new Map(rows.map((row) => [row.key, row.chosen])));
	const [index, setIndex] = useState(0);
	const [done, setDone] = useState<number | undefined>();
	const state = useRef({ index: 0, ticked, answered: false });
	state.current.ticked = ticked;

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
	const first = Math.max(0, Math.min(index - Math.floor(window / 2), rows.length - window));
	const visible = rows.slice(first, first + window);
	return (
		<Box flexDirection="column">
			<Text>
				<Text color="cyan">{symbols.question}</Text> <Text bold>Platform settings to apply to the new cluster</Text>
				<Text dimColor> (↑/↓, Space ticks, Enter applies)</Text>
			</Text>
			<Text>
				{symbols.info} {plan.upgrade.message}
			</Text>
			{plan.upgrade.warning ? (
				<Text color="yellow">
					{symbols.warning} {plan.upgrade.warning}
				</Text>
			) : null}
			{first > 0 ? <Text dimColor>  … {first} more above</Text> : null}
			{visible.map((row, i) => {
				const at = first + i === index;
				return (
					<Text key={row.key} color={at ? 'cyan' : undefined}>
						{at ? `${symbols.pointer} ` : '  '}
						{ticked.get(row.key) ? '[x]' : '[ ]'} {STATUS_WORD[row.status].padEnd(9)} {rowText(row)}
					</Text>
				);
			})}
			{first + window < rows.length ? <Text dimColor>  … {rows.length - first - window} more below</Text> : null}
			{others.slice(0, OTHERS_SHOWN).map((row) => (
				<Text key={`other:${row.key}`} dimColor>
					{'      '}
					{STATUS_WORD[row.status]}: {rowText(row)}
				</Text>
			))}
			{others.length > OTHERS_SHOWN ? <Text dimColor>{`      … ${others.length - OTHERS_SHOWN} more not copied (deis-backup settings DIR lists every saved key)`}</Text> : null}
		</Box>
	);
}
