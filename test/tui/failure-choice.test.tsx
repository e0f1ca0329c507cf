import './interactive-terminal.js';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { cleanup, render } from 'ink-testing-library';
import { FailureChoice } from '../../source/ui/components/failure-choice.js';
import type { FailureAction } from '../../source/ui/components/failure-choice.js';
import { keys, press, until, waitFor } from './helpers.js';

afterEach(() => cleanup());

describe('FailureChoice', () => {
	it('offers Skip only for an optional stage', async () => {
		const got: FailureAction[] = [];
		const { lastFrame, stdin } = render(<FailureChoice reason="pg_dumpall exited with status 1." stageTitle="Dump the database" optional onChoice={(a) => got.push(a)} />);
		const frame = await waitFor(lastFrame, 'What now?');
		assert.match(frame, /✖ Dump the database failed: pg_dumpall exited with status 1\./);
		assert.match(frame, /❯ Retry[^\n]*\n +Skip this stage[^\n]*\n +Quit and keep what was saved/);
		await press(stdin, keys.down, keys.enter);
		await until(() => got.length === 1, 'choice');
		assert.deepEqual(got, ['skip']);
	});

	it('has no Skip for a required stage', async () => {
		const got: FailureAction[] = [];
		const { lastFrame, stdin } = render(<FailureChoice reason="The gateway refused the keys." optional={false} onChoice={(a) => got.push(a)} />);
		const frame = await waitFor(lastFrame, 'What now?');
		assert.ok(!frame.includes('Skip this stage'));
		await press(stdin, keys.down, keys.enter);
		await until(() => got.length === 1, 'choice');
		assert.deepEqual(got, ['quit']);
	});
});
