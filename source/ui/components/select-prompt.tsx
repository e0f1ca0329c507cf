import { Box, Text } from 'ink';
import { useRef, useState } from 'react';
import { symbols } from '../symbols.js';
import { useTerminalSize } from '../transcript.js';
import { isCtrlC, useKeys } from '../use-keys.js';

export interface SelectItem<T> {
	label: string;
	value: T;
	/** Dim text after the label. */
	hint?: string;
}

export interface SelectPromptProps<T> {
	label: string;
	items: ReadonlyArray<SelectItem<T>>;
	initialIndex?: number;
	isActive?: boolean;
	onSubmit: (value: T, item: SelectItem<T>) => void;
	onCancel?: () => void;
}

/** Arrow keys (or j/k) move, Enter chooses; the pointer ❯ marks the choice without colour. */
export function SelectPrompt<T>({ label, items, initialIndex = 0, isActive = true, onSubmit, onCancel }: SelectPromptProps<T>) {
	const [index, setIndex] = useState(clampIndex(initialIndex, items.length));
	const [chosen, setChosen] = useState<SelectItem<T> | undefined>();
	const { columns } = useTerminalSize();
	const indexRef = useRef(index);
	const answered = useRef(false);
	const move = (delta: number) => {
		const next = (indexRef.current + delta + items.length) % items.length;
		indexRef.current = next;
		setIndex(next);
	};

	useKeys(
		(input, key) => {
			if (isCtrlC(input, key) || items.length === 0) return;
			if (key.upArrow || input === 'k') move(-1);
			else if (key.downArrow || input === 'j') move(1);
			else if (key.escape) onCancel?.();
			else if (key.return) {
				const item = items[indexRef.current];
				// Keys can outrun the re-render that deactivates this prompt.
				if (!item || answered.current) return;
				answered.current = true;
				setChosen(item);
				onSubmit(item.value, item);
			}
		},
		isActive && chosen === undefined,
	);

	if (chosen) {
		return (
			<Text>
				<Text color="green">{symbols.done}</Text> {label} <Text dimColor>·</Text> {chosen.label}
			</Text>
		);
	}
	return (
		<Box flexDirection="column">
			<Text>
				<Text color="cyan">{symbols.question}</Text> <Text bold>{label}</Text>
				<Text dimColor> (↑/↓, Enter)</Text>
			</Text>
			{items.map((item, i) => {
				// Label and hint in columns of their own: on a narrow terminal the hint wraps under itself, never back to
				// column 0; beside a label that leaves it little room, it goes on the lines below, indented.
				const stacked = item.hint !== undefined && 2 + item.label.length + 2 + MIN_HINT_COLUMNS > columns;
				return (
					<Box key={`${i}:${item.label}`} flexDirection={stacked ? 'column' : 'row'}>
						<Box flexShrink={0}>
							<Box width={2} flexShrink={0}>
								<Text color="cyan">{i === index ? symbols.pointer : ' '}</Text>
							</Box>
							<Text color={i === index ? 'cyan' : undefined} wrap="wrap">
								{item.label}
							</Text>
						</Box>
						{item.hint ? (
							<Box marginLeft={stacked ? 4 : 2} flexShrink={1}>
								<Text dimColor wrap="wrap">
									{item.hint}
								</Text>
							</Box>
						) : null}
					</Box>
				);
			})}
		</Box>
	);
}

/** Narrower than this, a hint column reads as a word per line. */
const MIN_HINT_COLUMNS = 20;

function clampIndex(index: number, length: number): number {
	return Math.min(Math.max(0, index), Math.max(0, length - 1));
}
