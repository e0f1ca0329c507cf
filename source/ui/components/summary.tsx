import { Box, Text } from 'ink';
import { quoteArg } from '../../util/shell-quote.js';
import type { RunSummary } from '../../plans/types.js';
import type { StageId } from '../../progress.js';
import { formatBytes, formatDuration } from '../format.js';
import { symbols } from '../symbols.js';

export interface SummaryProps {
	summary: RunSummary;
	/** The operator stopped the run (Ctrl-C). */
	aborted?: boolean;
	/** Stages the plan contained, so "what next" leaves out what already ran. */
	stages?: StageId[];
}

export function Summary({ summary, aborted = false, stages }: SummaryProps) {
	const noun = summary.kind === 'backup' ? 'Backup' : 'Restore';
	const folder = quoteArg(summary.folder);
	const counts = `${summary.objects.toLocaleString('en-US')} objects · ${formatBytes(summary.bytes)} · ${formatDuration(summary.durationMs)}`;
	return (
		<Box flexDirection="column" marginTop={1}>
			<Headline summary={summary} aborted={aborted} noun={noun} />
			<Box flexDirection="column" marginLeft={2}>
				{summary.ok ? (
					<Text>
						{summary.kind === 'backup' ? 'Saved to ' : 'Restored from '}
						{summary.folder}
					</Text>
				) : (
					<Text>
						{summary.kind === 'backup' ? 'Kept in ' : 'Read from '}
						{summary.folder}
						{summary.kind === 'backup' ? ' (finished files stay; the next run does not copy them again)' : ''}
					</Text>
				)}
				<Text>{counts}</Text>
				{summary.manifestPath ? <Text>Manifest: {summary.manifestPath}</Text> : null}
			</Box>
			{summary.warnings.length > 0 ? (
				<Box flexDirection="column" marginTop={1}>
					<Text color="yellow">
						{symbols.warning} {summary.warnings.length === 1 ? '1 warning' : `${summary.warnings.length} warnings`}
					</Text>
					{summary.warnings.map((warning, i) => (
						<Text key={i}>  - {warning}</Text>
					))}
				</Box>
			) : null}
			<Box flexDirection="column" marginTop={1}>
				<Text bold>Next</Text>
				{nextSteps(summary, folder, stages).map((line, i) => (
					<Text key={i}>  {line}</Text>
				))}
			</Box>
		</Box>
	);
}

function Headline({ summary, aborted, noun }: { summary: RunSummary; aborted: boolean; noun: string }) {
	if (summary.ok) {
		return (
			<Text color="green" bold>
				{symbols.done} {noun} complete
			</Text>
		);
	}
	if (aborted) {
		return (
			<Text color="yellow" bold>
				{symbols.pending} {noun} stopped at your request (Ctrl-C)
			</Text>
		);
	}
	return (
		<Text color="red" bold>
			{symbols.failed} {noun} stopped: {summary.error ?? 'a stage failed'}
		</Text>
	);
}

/** Plain sentences with the commands to type next (the wizard's summary only: line output prints its own). */
export function nextSteps(summary: RunSummary, folder: string, stages?: StageId[]): string[] {
	const resume = `deis-backup ${summary.kind} ${folder}`;
	if (!summary.ok) {
		const lines = [`Resume with the same command: ${resume}`];
		if (summary.kind === 'restore') lines.push('Until it finishes, keep the rest of the platform stopped.');
		return lines;
	}
	if (summary.kind === 'backup') return [`Restore with: deis-backup restore ${folder}`];
	const has = (stage: StageId) => stages?.includes(stage) ?? false;
	const lines: string[] = [];
	if (!has('verify')) lines.push(`Check the restored objects: deis-backup verify ${folder}`);
	if (!has('start')) lines.push('Bring up the rest of the cluster: deisctl start platform');
	if (!has('controller')) lines.push('Then have the controller re-write keys, apps and domains to etcd (nse deis-controller; ./manage.py shell, as in the manual).');
	if (lines.length === 0) lines.push('The cluster should be fully restored: check your apps with deis apps:list.');
	return lines;
}
