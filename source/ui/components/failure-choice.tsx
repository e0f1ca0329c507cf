import { Box, Text } from 'ink';
import { symbols } from '../symbols.js';
import { SelectPrompt } from './select-prompt.js';
import type { SelectItem } from './select-prompt.js';

import type { FailureAction } from '../flow.js';

export type { FailureAction };

export interface FailureChoiceProps {
	/** One sentence: what went wrong. */
	reason: string;
	/** Title of the stage that failed, if known. */
	stageTitle?: string;
	/** Offer "Skip this stage" (only the database dump and the store volume may be skipped). */
	optional: boolean;
	onChoice: (action: FailureAction) => void;
}

export function FailureChoice({ reason, stageTitle, optional, onChoice }: FailureChoiceProps) {
	const items: Array<SelectItem<FailureAction>> = [
		{ label: 'Retry', value: 'retry', hint: 'finished work is kept and not repeated' },
		...(optional ? [{ label: 'Skip this stage', value: 'skip' as const, hint: 'run the rest without it' }] : []),
		{ label: 'Quit and keep what was saved', value: 'quit', hint: 'run the same command again to resume' },
	];
	return (
		<Box flexDirection="column">
			<Text color="red">
				{symbols.failed} {stageTitle ? `${stageTitle} failed: ` : ''}
				{reason}
			</Text>
			<SelectPrompt<FailureAction> label="What now?" items={items} onSubmit={onChoice} />
		</Box>
	);
}
