import { Box, Text } from 'ink';
import type { StagePreview } from '../../plans/types.js';

export interface StagePreviewListProps {
	stages: StagePreview[];
	title?: string;
}

/**
 * What will run, each stage with the commands the manual would have the
 * operator type, so the wizard teaches the procedure it automates.
 */
export function StagePreviewList({ stages, title = 'What will happen' }: StagePreviewListProps) {
	return (
		<Box flexDirection="column" marginBottom={1}>
			<Text bold>{title}</Text>
			{stages.map((stage, i) => (
				<Box key={`${stage.stage}:${i}`} flexDirection="column">
					<Text>
						{`${i + 1}. `}
						{stage.title}
						{stage.optional ? <Text dimColor> (optional)</Text> : null}
					</Text>
					{stage.commands.map((command, j) => (
						<Box key={j} marginLeft={5}>
							<Text dimColor>$ {command}</Text>
						</Box>
					))}
				</Box>
			))}
		</Box>
	);
}
