/**
 * The live frame stays shorter than the terminal, so ink 6.8 never reaches
 * the branch that wipes the screen and the scrollback (ESC[2J ESC[3J), and
 * what finished goes into the transcript above it.
 */
import './interactive-terminal.js';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { render } from 'ink';
import type { Instance } from 'ink';
import { cleanup, render as renderTest } from 'ink-testing-library';
import type { TaskView } from '../../source/plans/task-view.js';
import { TaskList } from '../../source/ui/components/task-list.js';
import { Wizard } from '../../source/ui/wizard.js';
import type { WizardOutcome } from '../../source/ui/wizard.js';
import { fakeServices, summaryFor } from './fake-services.js';
import { FakeTtyStdin, SizedStdout, keys, stripAnsi, until } from './helpers.js';

const mounted: Instance[] = [];
afterEach(() => {
	for (const app of mounted.splice(0)) app.unmount();
	cleanup();
});

const NOW = 100_000;
const pending = (n: number): TaskView => ({ id: `t${n}`, title: `Task number ${n}`, state: 'pending', subtasks: [] });

describe('the live task list', () => {
	it('fits the lines it is given: the running task and its progress stay, the rest are counted', () => {
		const running: TaskView = {
			id: 'upload',
			title: 'Upload s3://registry',
			state: 'running',
			startedAt: NOW - 2000,
			progress: { stage: 'buckets', bytesDone: 5_000_000, bytesTotal: 10_000_000, itemsDone: 3, itemsTotal: 10, item: 'images/a' },
			subtasks: [],
		};
		const views = [pending(1), running, ...Array.from({ length: 12 }, (_, i) => pending(i + 2))];
		const { lastFrame } = renderTest(<TaskList views={views} now={NOW} maxLines={6} />);
		const lines = (lastFrame() ?? '').split('\n');
		assert.ok(lines.length <= 6, `${lines.length} lines:\n${lines.join('\n')}`);
		assert.match(lines.join('\n'), /Upload s3:\/\/registry/);
		assert.match(lines.join('\n'), /█+░+ +50%/);
		assert.match(lines.join('\n'), /3\/10 objects/);
		assert.match(lines.at(-1) ?? '', /^… 1[0-3] more tasks$/);
		// Shown tasks keep their order.
		assert.ok(lines.findIndex((l) => l.includes('Task number 1')) < lines.findIndex((l) => l.includes('Upload s3://registry')));
	});

	it('shows everything, with no count line, when it fits', () => {
		const { lastFrame } = renderTest(<TaskList views={[pending(1), pending(2)]} now={NOW} maxLines={6} />);
		assert.equal(lastFrame(), '◼ Task number 1\n◼ Task number 2');
	});
});

describe('a run in an 80×16 terminal (the connection review needs 15 rows)', () => {
	it('never writes ESC[3J or ESC[2J (the frame stays shorter than the terminal) and prints each finished task once', async () => {
		const total = 30;
		let release: () => void = () => {};
		const { services, calls } = fakeServices({
			run: async (answers, handle) => {
				const views: TaskView[] = Array.from({ length: total }, (_, i) => pending(i + 1));
				for (const view of views) {
					view.state = 'running';
					view.startedAt = NOW;
					handle.onViews(structuredClone(views));
					// The first task waits, so the frame with every task pending is drawn.
					if (view.id === 't1') await new Promise<void>((resolve) => (release = resolve));
					else await new Promise((resolve) => setImmediate(resolve));
					view.state = 'done';
					view.endedAt = NOW + 1000;
					handle.onViews(structuredClone(views));
				}
				return summaryFor(answers);
			},
		});
		const stdout = new SizedStdout(80, 16);
		const stdin = new FakeTtyStdin();
		const outcomes: WizardOutcome[] = [];
		const initial = { kind: 'backup' as const, connection: { host: 'deis-1.example.com', port: 22, user: 'core', domain: 'example.com' }, folder: '/backups/one', skipDatabase: true, skipVolume: true };
		mounted.push(render(<Wizard services={services} initial={initial} homeDir="/home/op" onExit={(o) => outcomes.push(o)} />, { stdout: stdout as never, stdin: stdin as never, exitOnCtrlC: false, patchConsole: false }));
		await until(() => stdout.written.includes('Use these settings'), 'the review');
		stdin.type(keys.enter);
		await until(() => stdout.written.includes('Start the backup? (Y/n)'), 'the confirmation');
		stdin.type(keys.enter);
		await until(() => calls.runs.length === 1 && stdout.written.includes('more tasks'), 'the trimmed task list');
		release();
		await until(() => outcomes.length === 1, 'the end', 10_000);

		assert.ok(!stdout.written.includes('\u001b[3J'), 'no ESC[3J');
		assert.ok(!stdout.written.includes('\u001b[2J'), 'no ESC[2J');
		const text = stripAnsi(stdout.written);
		for (let n = 1; n <= total; n++) {
			const printed = text.split(/\r?\n/).filter((line) => new RegExp(`^✔ Task number ${n} \\(1s\\)$`).test(line.replace(/^.*\u001b\[G/, '')));
			assert.equal(printed.length, 1, `task ${n} is printed once as finished`);
		}
		assert.match(text, /✔ Backup complete/);
	});
});
