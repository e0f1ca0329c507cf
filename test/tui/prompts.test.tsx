import './interactive-terminal.js';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { cleanup, render } from 'ink-testing-library';
import { ConfirmPrompt } from '../../source/ui/components/confirm-prompt.js';
import { SelectPrompt } from '../../source/ui/components/select-prompt.js';
import { TextPrompt } from '../../source/ui/components/text-prompt.js';
import { answer, erase, keys, press, until, waitFor } from './helpers.js';

afterEach(() => cleanup());

describe('TextPrompt', () => {
	it('shows the default and submits it on Enter', async () => {
		const got: string[] = [];
		const { lastFrame, stdin } = render(<TextPrompt label="SSH port" defaultValue="2222" onSubmit={(v) => got.push(v)} />);
		await waitFor(lastFrame, 'SSH port (2222)');
		await press(stdin, keys.enter);
		await until(() => got.length === 1, 'submit');
		assert.deepEqual(got, ['2222']);
		await waitFor(lastFrame, '✔ SSH port · 2222');
	});

	it('takes typed text, edits with backspace and delete, and trims', async () => {
		const got: string[] = [];
		const { lastFrame, stdin } = render(<TextPrompt label="User" onSubmit={(v) => got.push(v)} />);
		await press(stdin, ' corex', keys.backspace, 'y', keys.delete);
		await waitFor(lastFrame, '›  core'); // the typed leading space is kept while editing
		await press(stdin, ' ', keys.enter);
		await until(() => got.length === 1, 'submit');
		assert.deepEqual(got, ['core']);
	});

	it('shows a validation error inline and asks again until the value is fixed', async () => {
		const got: string[] = [];
		const validate = (v: string) => (/^\d+$/.test(v) ? undefined : 'The SSH port is a whole number.');
		const { lastFrame, stdin } = render(<TextPrompt label="SSH port" validate={validate} onSubmit={(v) => got.push(v)} />);
		await answer(stdin, 'abc');
		await waitFor(lastFrame, '✖ The SSH port is a whole number.');
		assert.equal(got.length, 0);
		await erase(stdin, 3);
		await answer(stdin, '22');
		await until(() => got.length === 1, 'submit');
		assert.deepEqual(got, ['22']);
		const frame = await waitFor(lastFrame, '✔ SSH port · 22');
		assert.ok(!frame.includes('whole number'), 'the error is gone once the value is accepted');
	});

	it('shows a checking state during async validation and ignores keys meanwhile', async () => {
		const got: string[] = [];
		let release: (error: string | undefined) => void = () => {};
		const validate = () => new Promise<string | undefined>((resolve) => (release = resolve));
		const { lastFrame, stdin } = render(
			<TextPrompt label="Domain" validate={validate} checkingLabel={(v) => `checking deis-store.${v} answers…`} onSubmit={(v) => got.push(v)} />,
		);
		await answer(stdin, 'example.com');
		await waitFor(lastFrame, 'checking deis-store.example.com answers…');
		await press(stdin, 'zzz');
		release('deis-store.example.com does not resolve.');
		const frame = await waitFor(lastFrame, '✖ deis-store.example.com does not resolve.');
		assert.ok(frame.includes('› example.com') && !frame.includes('zzz'), 'typing during the check is ignored');
		assert.equal(got.length, 0);
		await press(stdin, keys.enter);
		await waitFor(lastFrame, 'checking deis-store.example.com');
		release(undefined);
		await until(() => got.length === 1, 'submit');
		assert.deepEqual(got, ['example.com']);
	});

	it('Tab copies the default in for editing; masked mode hides the text; Ctrl-C is not text', async () => {
		const got: string[] = [];
		const { lastFrame, stdin } = render(<TextPrompt label="Secret" defaultValue="abc" mask="*" onSubmit={(v) => got.push(v)} />);
		await press(stdin, '\t', 'd', keys.ctrlC);
		const frame = await waitFor(lastFrame, '› ****');
		assert.ok(!frame.includes('abcd'));
		await press(stdin, keys.enter);
		await until(() => got.length === 1, 'submit');
		assert.deepEqual(got, ['abcd']);
	});
});

describe('SelectPrompt', () => {
	it('moves with the arrow keys (wrapping) and chooses with Enter', async () => {
		const got: string[] = [];
		const items = [
			{ label: 'Backup', value: 'backup' },
			{ label: 'Restore', value: 'restore', hint: 'into a new cluster' },
		];
		const { lastFrame, stdin } = render(<SelectPrompt label="What?" items={items} onSubmit={(v) => got.push(v)} />);
		let frame = await waitFor(lastFrame, '❯ Backup');
		assert.ok(frame.includes('  Restore  into a new cluster'));
		await press(stdin, keys.down);
		frame = await waitFor(lastFrame, '❯ Restore');
		await press(stdin, keys.down);
		await waitFor(lastFrame, '❯ Backup');
		await press(stdin, keys.up, keys.enter);
		await until(() => got.length === 1, 'submit');
		assert.deepEqual(got, ['restore']);
		await waitFor(lastFrame, '✔ What? · Restore');
	});
});

describe('ConfirmPrompt', () => {
	it('takes the default on Enter and shows which it is', async () => {
		const got: boolean[] = [];
		const { lastFrame, stdin } = render(<ConfirmPrompt label="Continue?" defaultValue={false} onSubmit={(v) => got.push(v)} />);
		await waitFor(lastFrame, 'Continue? (y/N)');
		await press(stdin, keys.enter);
		await until(() => got.length === 1, 'submit');
		assert.deepEqual(got, [false]);
		await waitFor(lastFrame, '✔ Continue? · No');
	});

	it('a single key never answers: y, n, yes and no count once Enter follows', async () => {
		const got: boolean[] = [];
		const { lastFrame, stdin } = render(<ConfirmPrompt label="Start?" defaultValue={false} onSubmit={(v) => got.push(v)} />);
		await waitFor(lastFrame, 'Start? (y/N)');
		await press(stdin, 'y');
		await waitFor(lastFrame, 'Start? (y/N) › y');
		assert.deepEqual(got, [], 'y alone does not answer');
		await press(stdin, keys.enter);
		await until(() => got.length === 1, 'submit');
		assert.deepEqual(got, [true]);
		await waitFor(lastFrame, '✔ Start? · Yes');
		cleanup();

		for (const [typed, expected] of [['N', false], ['yes', true], ['No', false]] as const) {
			const seen: boolean[] = [];
			const again = render(<ConfirmPrompt label="Start?" onSubmit={(v) => seen.push(v)} />);
			await waitFor(again.lastFrame, 'Start? (Y/n)');
			await answer(again.stdin, typed);
			await until(() => seen.length === 1, `submit of ${typed}`);
			assert.deepEqual(seen, [expected], typed);
			cleanup();
		}
	});

	it('y and Enter typed together (one read) are taken as yes, and a second Enter in it answers nothing else', async () => {
		const got: boolean[] = [];
		const { lastFrame, stdin } = render(<ConfirmPrompt label="Start?" defaultValue={false} onSubmit={(v) => got.push(v)} />);
		await waitFor(lastFrame, 'Start? (y/N)');
		stdin.write('y\r\r');
		await until(() => got.length >= 1, 'submit');
		await waitFor(lastFrame, '✔ Start? · Yes');
		assert.deepEqual(got, [true]);
	});

	it('other text is refused with a reason and the question stays', async () => {
		const got: boolean[] = [];
		const { lastFrame, stdin } = render(<ConfirmPrompt label="Start?" onSubmit={(v) => got.push(v)} />);
		await waitFor(lastFrame, 'Start? (Y/n)');
		await answer(stdin, 'x');
		await waitFor(lastFrame, '✖ Answer y or n, then Enter.');
		assert.deepEqual(got, []);
	});

	it('a destructive question takes only the word yes, and Enter alone answers nothing', async () => {
		const got: boolean[] = [];
		const { lastFrame, stdin } = render(<ConfirmPrompt label="Overwrite?" destructive onSubmit={(v) => got.push(v)} />);
		await waitFor(lastFrame, 'Overwrite? (type yes or no)');
		await press(stdin, keys.enter);
		await waitFor(lastFrame, '✖ Type yes to go ahead, or no.');
		await answer(stdin, 'y');
		await waitFor(lastFrame, '✖ Type the whole word yes to go ahead, or no.');
		assert.deepEqual(got, [], 'neither Enter nor y answered');
		await erase(stdin, 1);
		await answer(stdin, 'yes');
		await until(() => got.length === 1, 'submit');
		assert.deepEqual(got, [true]);
		await waitFor(lastFrame, '✔ Overwrite? · Yes');
	});
});
