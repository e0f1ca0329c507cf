import { Text, useStdout } from 'ink';

export interface ProgressBarProps {
	/** 0…1; values outside are clamped. */
	ratio: number;
	/** Bar cells; by default fits the terminal minus `reserve` columns, at most 40. */
	width?: number;
	/** Columns left for indentation and the percentage when the width is derived. */
	reserve?: number;
	showPercent?: boolean;
}

/** Filled and empty cells differ in shape (█ ░), so the bar reads without colour. */
export function ProgressBar({ ratio, width, reserve = 10, showPercent = true }: ProgressBarProps) {
	const { stdout } = useStdout();
	const columns = stdout.columns || 80;
	const cells = Math.max(5, width ?? Math.min(40, columns - reserve));
	const clamped = Number.isFinite(ratio) ? Math.min(1, Math.max(0, ratio)) : 0;
	const filled = Math.round(clamped * cells);
	return (
		<Text>
			<Text color="green">{'█'.repeat(filled)}</Text>
			<Text dimColor>{'░'.repeat(cells - filled)}</Text>
			{showPercent ? ` ${String(Math.floor(clamped * 100)).padStart(3)}%` : ''}
		</Text>
	);
}
