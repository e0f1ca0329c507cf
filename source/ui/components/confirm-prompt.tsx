import { Text } from 'ink';
import { useRef, useState } from 'react';
import { symbols } from '../symbols.js';
import { isCtrlC, useKeys } from '../use-keys.js';

export interface ConfirmPromptProps {
	label: string;
	/** What Enter alone means; shown as the capital letter in (Y/n). */
	defaultValue?: boolean;
	isActive?: boolean;
	onSubmit: (value: boolean) => void;
}

export function ConfirmPrompt({ label, defaultValue = true, isActive = true, onSubmit }: ConfirmPromptProps) {
	const [answer, setAnswer] = useState<boolean | undefined>();
	const answered = useRef(false);
	const choose = (value: boolean) => {
		// Keys can outrun the re-render that deactivates this prompt.
		if (answered.current) return;
		answered.current = true;
		setAnswer(value);
		onSubmit(value);
	};
	useKeys(
		(input, key) => {
			if (isCtrlC(input, key)) return;
			if (key.return) choose(defaultValue);
			else if (input.toLowerCase() === 'y') choose(true);
			else if (input.toLowerCase() === 'n') choose(false);
		},
		isActive && answer === undefined,
	);
	if (answer !== undefined) {
		return (
			<Text>
				<Text color="green">{symbols.done}</Text> {label} <Text dimColor>·</Text> {answer ? 'Yes' : 'No'}
			</Text>
		);
	}
	return (
		<Text>
			<Text color="cyan">{symbols.question}</Text> <Text bold>{label}</Text>
			<Text dimColor> {defaultValue ? '(Y/n)' : '(y/N)'} </Text>
		</Text>
	);
}
