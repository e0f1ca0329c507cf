import './interactive-terminal.js';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { cleanup, render } from 'ink-testing-library';
import type { TaskView } from '../../source/plans/task-view.js';
import { TaskList } from '../../source/ui/components/task-list.js';
import { waitFor } from './helpers.js';

afterEach(() => cleanup());

const NOW = 100_000;

function view(partial: Partial<TaskView> & Pick<TaskView, 'id' | 'title' | 'state'>): TaskView {
	return { subtasks: [], ...partial };
}

describe('TaskList', () => {
	it('marks every state with a symbol or word, not colour alone', () => {
		const views = [
			view({ id: 'connect', title: 'Connect over SSH', state: 'done', startedAt: NOW - 3000, endedAt: NOW - 1000 }),
			view({ id: 'keys', title: 'Read the gateway keys', state: 'warning', message: 'gateway scaled to 1 only', startedAt: NOW - 1000, endedAt: NOW }),
			view({ id: 'database', title: 'Dump the database', state: 'skipped', message: 'you chose to skip it' }),
			view({ id: 'volume', title: 'Tar the store volume', state: 'failed', message: 'tar exited with status 2' }),
			view({ id: 'router', title: 'Raise the router body size', state: 'retrying', message: 'connection reset' }),
			view({ id: 'start', title: 'Start the platform', state: 'pending' }),
		];
		const { lastFrame } = render(<TaskList views={views} now={NOW} />);
		const frame = lastFrame() ?? '';
		assert.match(frame, /✔ Connect over SSH \(2s\)/);
		assert.match(frame, /⚠ Read the gateway keys/);
		assert.match(frame, /warning: gateway scaled to 1 only/);
		assert.match(frame, /↓ Dump the database\n\s+skipped: you chose to skip it/);
		assert.match(frame, /✖ Tar the store volume\n\s+tar exited with status 2/);
		assert.match(frame, /↻ Raise the router body size\n\s+retrying after: connection reset/);
		assert.match(frame, /◼ Start the platform/);
		assert.ok(!frame.includes('\u001B['), 'no colour codes without a colour terminal');
	});

	it('shows a spinner, elapsed time, a bar and the progress line for a running task, and nests subtasks', async () => {
		const views = [
			view({
				id: 'buckets',
				title: 'Download the buckets',
				state: 'running',
				startedAt: NOW - 65_000,
				subtasks: [
					view({
						id: 'registry',
						title: 'registry',
						state: 'running',
						startedAt: NOW - 2000,
						output: 'GET registry/images/abc/layer',
						progress: { stage: 'buckets', bytesDone: 10_000_000, bytesTotal: 40_000_000, itemsDone: 120, itemsTotal: 2000, item: 'registry/images/abc/layer' },
					}),
					view({ id: 'db_wal', title: 'db_wal', state: 'pending' }),
				],
			}),
		];
		const { lastFrame } = render(<TaskList views={views} now={NOW} />);
		const frame = await waitFor(lastFrame, 'registry');
		assert.match(frame, /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Download the buckets \(1m 05s\)/);
		assert.match(frame, /\n {2}[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] registry \(2s\)/, 'subtask indented under its parent');
		assert.match(frame, /█+░+ +25%/);
		assert.match(frame, /10\.0 MB \/ 40\.0 MB · 5\.0 MB\/s · ETA 6s · 120\/2000 objects · registry\/images\/abc\/layer/);
		assert.match(frame, /GET registry\/images\/abc\/layer/);
		assert.match(frame, /\n {2}◼ db_wal/);
	});

	it('hides the bar when the total is unknown but still shows what moved', () => {
		const views = [
			view({ id: 'volume', title: 'Tar the store volume', state: 'running', startedAt: NOW - 4000, progress: { stage: 'volume', bytesDone: 8_000_000 } }),
		];
		const { lastFrame } = render(<TaskList views={views} now={NOW} />);
		const frame = lastFrame() ?? '';
		assert.ok(!frame.includes('█') && !frame.includes('░'));
		assert.match(frame, /8\.0 MB · 2\.0 MB\/s/);
	});
});
