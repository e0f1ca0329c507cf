/**
 * At 60 columns: menu hints wrap inside their own column instead of back to
 * column 0, and the demo's description breaks between words, never inside a
 * URL or a path, with continuation lines under their column.
 */
import './interactive-terminal.js';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { render } from 'ink';
import type { Instance } from 'ink';
import type { ReactElement } from 'react';
import { DemoIntroView } from '../../source/ui/components/demo-intro.js';
import { SelectPrompt } from '../../source/ui/components/select-prompt.js';
import { FakeTtyStdin, SizedStdout, stripAnsi } from './helpers.js';

const mounted: Instance[] = [];
afterEach(() => {
	for (const app of mounted.splice(0)) app.unmount();
});

/** The frame Ink draws for `tree` on a terminal `columns` wide. */
function frameAt(columns: number, tree: ReactElement): string[] {
	const stdout = new SizedStdout(columns, 40);
	mounted.push(render(tree, { stdout: stdout as never, stdin: new FakeTtyStdin() as never, debug: true, patchConsole: false }));
	return stripAnsi(stdout.writes.at(-1) ?? '').split('\n');
}

describe('60 columns', () => {
	it('menu hints wrap under themselves, not back to column 0', () => {
		const items = [
			{ label: 'Back up a cluster', value: 'backup', hint: 'copy the store buckets, the store volume and a database dump to a folder' },
			{ label: 'Restore a backup into a new cluster', value: 'restore', hint: 'before the rest of the platform starts' },
		];
		const lines = frameAt(60, <SelectPrompt label="What do you want to do?" items={items} onSubmit={() => {}} />);
		assert.deepEqual(lines, [
			'? What do you want to do? (↑/↓, Enter)',
			'❯ Back up a cluster  copy the store buckets, the store',
			'                     volume and a database dump to a folder',
			'  Restore a backup into a new cluster  before the rest of',
			'                                       the platform starts',
		]);
	});

	it('a hint beside a label that leaves it under 20 columns goes below, indented', () => {
		const items = [{ label: 'Quit and keep what was saved so far, all of it', value: 'quit', hint: 'run the same command again to resume' }];
		const lines = frameAt(60, <SelectPrompt label="What now?" items={items} onSubmit={() => {}} />);
		assert.deepEqual(lines, ['? What now? (↑/↓, Enter)', '❯ Quit and keep what was saved so far, all of it', '    run the same command again to resume']);
	});

	it("the demo's description never breaks inside a URL or a path", () => {
		const url = 'http://127.0.0.1:35481';
		const root = '/tmp/deis-backup-demo-AbC123xyz';
		const intro = {
			title: 'deis-backup demo: two simulated Deis v1 clusters run inside this process.',
			rows: [
				{ label: 'source cluster', lines: ["ssh -p 44859 core@127.0.0.1 (as Vagrant's 127.0.0.1:2222)", `domain demo.deis; its gateway is at ${url}`, '(deis-store.demo.deis does not resolve here, so the URL is given)'] },
				{ label: 'fresh cluster', lines: ['a new cluster with nothing installed, for the restore'] },
				{ label: 'files', lines: [`${root} (removed at exit; --keep keeps them)`] },
			],
		};
		const lines = frameAt(60, <DemoIntroView intro={intro} />);
		assert.ok(lines.every((line) => line.length <= 60), lines.join('\n'));
		assert.ok(lines.some((line) => line.includes(url)), `the URL is whole on one line:\n${lines.join('\n')}`);
		assert.ok(lines.some((line) => line.includes(root)), `the path is whole on one line:\n${lines.join('\n')}`);
		// Continuation lines sit in the text column (2 + the widest label + 2), never at column 0.
		const column = 2 + 'source cluster'.length + 2;
		for (const line of lines.slice(2)) {
			if (line.trim() === '') continue;
			const starts = line.search(/\S/);
			assert.ok(starts === 2 || starts === column, `"${line}" starts at ${starts}`);
		}
	});
});
