import { Box, Text } from 'ink';
import { useRef, useState } from 'react';
import { symbols } from '../symbols.js';
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
			{items.map((item, i) => (
				<Text key={`${i}:${item.label}`} color={i === index ? 'cyan' : undefined}>
					{i === index ? `${symbols.pointer} ` : '  '}
					{item.label}
					{item.hint ? <Text dimColor>  {item.hint}</Text> : null}
				</Text>
			))}
		</Box>
	);
}

function clampIndex(index: number, length: number): number {
	return Math.min(Math.max(0, index), Math.max(0, length - 1));
}
