import './interactive-terminal.js';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { wizardExitCode } from '../../source/commands/wizard.js';
import { renderWizard } from '../../source/ui/render-wizard.js';
import { fakeServices, summaryFor } from './fake-services.js';
import { FakeTtyStdin, keys, until } from './helpers.js';

/** Just enough of a TTY stdin for Ink: raw mode, readable events, ref counting. */
class FakeStdin extends EventEmitter {
	isTTY = true;
	/** ref/unref calls in order: Ink unrefs on exit, so the last one tells whether we re-ref'd. */
	calls: string[] = [];
	private queued: string | null = null;
	setRawMode() {}
	setEncoding() {}
	resume() {}
	pause() {}
	ref() {
		this.calls.push('ref');
	}
	unref() {
		this.calls.push('unref');
	}
	read() {
		const data = this.queued;
		this.queued = null;
		return data;
	}
	type(data: string) {
		this.queued = data;
		this.emit('readable');
	}
}

class FakeStdout extends EventEmitter {
	isTTY = true;
	columns = 100;
	rows = 40;
	text = '';
	write(chunk: string) {
		this.text += chunk;
		return true;
	}
}

describe('renderWizard', () => {
	it('refuses to start without an interactive terminal', async () => {
		const stdin = new FakeStdin();
		stdin.isTTY = false;
		await assert.rejects(renderWizard(fakeServices().services, {}, { stdin: stdin as never, stdout: new FakeStdout() as never }), /needs an interactive terminal/);
		const piped = new FakeStdout();
		piped.isTTY = false;
		await assert.rejects(renderWizard(fakeServices().services, {}, { stdin: new FakeStdin() as never, stdout: piped as never }), /needs an interactive terminal/);
		assert.equal(piped.text, '', 'nothing was drawn');
	});

	it('mounts the wizard, resolves when it exits, and re-refs stdin for later prompts', async () => {
		const stdin = new FakeStdin();
		const stdout = new FakeStdout();
		const result = renderWizard(fakeServices().services, {}, { stdin: stdin as never, stdout: stdout as never });
		await until(() => stdout.text.includes('What do you want to do?'), 'first question');
		stdin.type(keys.ctrlC);
		assert.deepEqual(await result, { kind: 'interrupted' });
		assert.ok(stdin.calls.includes('unref'), 'Ink let go of stdin');
		assert.equal(stdin.calls.at(-1), 'ref', 'stdin.ref() was called after Ink let go');
		assert.match(stdout.text, /nothing was changed/);
	});

	it('drops keys typed before the first question appeared', async () => {
		const stdin = new FakeTtyStdin();
		const stdout = new FakeStdout();
		// An impatient Enter during start-up: buffered before Ink reads anything.
		stdin.type(keys.enter);
		const fake = fakeServices();
		const result = renderWizard(fake.services, {}, { stdin: stdin as never, stdout: stdout as never });
		await until(() => stdout.text.includes('❯ Back up a cluster'), 'first question');
		stdin.type(keys.down);
		await until(() => stdout.text.includes('❯ Restore a backup into a new cluster'), 'the pointer moved: the question is still open');
		assert.ok(!stdout.text.includes('✔ Back up or restore'), 'the early Enter answered nothing');
		stdin.type(keys.ctrlC);
		assert.deepEqual(await result, { kind: 'interrupted' });
	});
});

describe('wizardExitCode', () => {
	const answers = { kind: 'backup' as const, connection: { host: 'h', port: 22, user: 'core', domain: 'example.com' }, folder: '/b', skipDatabase: false, skipVolume: false };
	it('follows the README: 0 done or declined, 1 failed, 130 interrupted before or during a run', () => {
		assert.equal(wizardExitCode({ kind: 'ran', summary: summaryFor(answers), aborted: false }), 0);
		assert.equal(wizardExitCode({ kind: 'declined' }), 0);
		assert.equal(wizardExitCode({ kind: 'interrupted' }), 130);
		assert.equal(wizardExitCode({ kind: 'ran', summary: summaryFor(answers, { ok: false, error: 'Stopped.' }), aborted: true }), 130);
		assert.equal(wizardExitCode({ kind: 'ran', summary: summaryFor(answers, { ok: false, error: 'Disk full.' }), aborted: false }), 1);
	});
});
