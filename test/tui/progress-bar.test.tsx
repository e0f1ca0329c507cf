import './interactive-terminal.js';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { cleanup, render } from 'ink-testing-library';
import { ProgressBar } from '../../source/ui/components/progress-bar.js';

afterEach(() => cleanup());

describe('ProgressBar', () => {
	it('fills cells in proportion, readable without colour', () => {
		const { lastFrame } = render(<ProgressBar ratio={0.5} width={10} />);
		assert.equal(lastFrame(), '█████░░░░░  50%');
	});

	it('clamps out-of-range and NaN ratios', () => {
		assert.equal(render(<ProgressBar ratio={2} width={10} />).lastFrame(), '██████████ 100%');
		assert.equal(render(<ProgressBar ratio={Number.NaN} width={10} showPercent={false} />).lastFrame(), '░░░░░░░░░░');
	});

	it('fits the terminal width when no width is given', () => {
		// ink-testing-library reports 100 columns: 100 - 70 reserved = 30 cells.
		const frame = render(<ProgressBar ratio={0.1} reserve={70} />).lastFrame() ?? '';
		assert.equal(frame.replace(/ +\d+%$/, '').length, 30);
		// Never wider than 40 cells, however wide the terminal.
		const wide = render(<ProgressBar ratio={1} reserve={0} showPercent={false} />).lastFrame() ?? '';
		assert.equal(wide.length, 40);
	});
});
