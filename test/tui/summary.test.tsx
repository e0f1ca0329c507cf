import './interactive-terminal.js';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { cleanup, render } from 'ink-testing-library';
import type { RunSummary } from '../../source/plans/types.js';
import { Summary } from '../../source/ui/components/summary.js';

afterEach(() => cleanup());

const base: RunSummary = { kind: 'backup', ok: true, folder: '/backups/deis 2024', objects: 2012, bytes: 40_000_000, durationMs: 65_000, warnings: [] };

describe('Summary', () => {
	it('after a backup: what was saved and how to restore it', () => {
		const frame = render(<Summary summary={{ ...base, manifestPath: '/backups/deis 2024/manifest.json', warnings: ['tar: file changed as we read it'] }} />).lastFrame() ?? '';
		assert.match(frame, /✔ Backup complete/);
		assert.match(frame, /Saved to \/backups\/deis 2024/);
		assert.match(frame, /2,012 objects · 40\.0 MB · 1m 05s/);
		assert.match(frame, /Manifest: \/backups\/deis 2024\/manifest\.json/);
		assert.match(frame, /⚠ 1 warning\n +- tar: file changed as we read it/);
		assert.match(frame, /Restore with: deis-backup restore '\/backups\/deis 2024'/);
	});

	it('after a restore: the remaining manual steps the plan did not cover', () => {
		const summary = { ...base, kind: 'restore' as const, folder: '/b' };
		let frame = render(<Summary summary={summary} stages={['buckets', 'volume']} />).lastFrame() ?? '';
		assert.match(frame, /✔ Restore complete/);
		assert.match(frame, /Restored from \/b/);
		assert.match(frame, /deis-backup verify \/b/);
		assert.match(frame, /deisctl start platform/);
		assert.match(frame, /manage\.py/);
		frame = render(<Summary summary={summary} stages={['buckets', 'verify', 'start', 'controller']} />).lastFrame() ?? '';
		assert.ok(!frame.includes('deisctl start platform') && !frame.includes('verify /b'), 'steps the plan ran are not suggested');
	});

	it('after a failure or Ctrl-C: what was kept and how to resume', () => {
		const failed = { ...base, ok: false, error: 'The gateway stopped answering.', objects: 10 };
		let frame = render(<Summary summary={failed} />).lastFrame() ?? '';
		assert.match(frame, /✖ Backup stopped: The gateway stopped answering\./);
		assert.match(frame, /Kept in \/backups\/deis 2024/);
		assert.match(frame, /Resume with the same command: deis-backup backup '\/backups\/deis 2024'/);
		frame = render(<Summary summary={{ ...failed, error: undefined }} aborted />).lastFrame() ?? '';
		assert.match(frame, /Backup stopped at your request \(Ctrl-C\)/);
		assert.ok(!frame.includes('Backup complete'));
	});
});
