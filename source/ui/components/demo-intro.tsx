import { Box, Text } from 'ink';
import type { ReactElement } from 'react';

/** Labelled lines, such as the demo's description of its clusters. */
export interface DemoIntro {
	title: string;
	rows: Array<{ label: string; lines: string[] }>;
}

/**
 * Labels in a column of their own and each line wrapped at word boundaries
 * inside the column beside them, so a narrow terminal breaks between words,
 * never inside a URL or a path, and continuation lines keep their indent.
 */
export function DemoIntroView({ intro }: { intro: DemoIntro }) {
	const labelWidth = Math.max(...intro.rows.map((row) => row.label.length)) + 2;
	return (
		<Box flexDirection="column" marginBottom={1}>
			<Text wrap="wrap">{intro.title}</Text>
			{intro.rows.map((row) => (
				<Box key={row.label} marginLeft={2}>
					<Box width={labelWidth} flexShrink={0}>
						<Text>{row.label}</Text>
					</Box>
					<Box flexDirection="column" flexShrink={1}>
						{row.lines.map((line, i) => (
							<Text key={i} wrap="wrap">
								{line}
							</Text>
						))}
					</Box>
				</Box>
			))}
		</Box>
	);
}

/** For callers without JSX (the demo command). */
export function demoIntroElement(intro: DemoIntro): ReactElement {
	return <DemoIntroView intro={intro} />;
}
