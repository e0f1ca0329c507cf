import { readYesNo, yesNoHint } from '../questions.js';
import { TextPrompt } from './text-prompt.js';

export interface ConfirmPromptProps {
	label: string;
	/** What Enter alone means; shown as the capital letter in (Y/n). */
	defaultValue?: boolean;
	/** Only the typed word yes answers yes, and Enter alone answers nothing (overwrites, writes to a cluster). */
	destructive?: boolean;
	isActive?: boolean;
	onSubmit: (value: boolean) => void;
}

/**
 * A yes/no question answered as @inquirer's confirm is: y or n, then Enter.
 * A single key never answers, so `y` and Enter typed together count as yes,
 * and an Enter meant for an earlier question does not decide this one.
 */
export function ConfirmPrompt({ label, defaultValue = true, destructive = false, isActive = true, onSubmit }: ConfirmPromptProps) {
	const question = { defaultYes: defaultValue, destructive };
	const read = (typed: string) => readYesNo(typed, question);
	return (
		<TextPrompt
			label={label}
			suffix={yesNoHint(question)}
			isActive={isActive}
			validate={(typed) => {
				const reading = read(typed);
				return 'problem' in reading ? reading.problem : undefined;
			}}
			display={(typed) => {
				const reading = read(typed);
				return 'value' in reading && reading.value ? 'Yes' : 'No';
			}}
			onSubmit={(typed) => {
				const reading = read(typed);
				if ('value' in reading) onSubmit(reading.value);
			}}
		/>
	);
}
