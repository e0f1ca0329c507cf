/**
 * A passphrase-protected key under the full-screen wizard: the SSH layer's
 * askPassphrase hook is answered by a masked prompt on the wizard's screen,
 * in the connection check and in a run. The services here drive the hook the
 * way cluster/ssh.ts does (three tries, undefined skips the key).
 */
import './interactive-terminal.js';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { cleanup, render } from 'ink-testing-library';
import type { PlanAnswers } from '../../source/plans/types.js';
import { createPassphraseRequests, type PassphraseRequests } from '../../source/ui/passphrase-requests.js';
import { Wizard, type WizardOutcome } from '../../source/ui/wizard.js';
import { fakeServices, pushStages, summaryFor } from './fake-services.js';
import { answer, keys, press, until, waitFor } from './helpers.js';

afterEach(() => cleanup());

const KEY = '/home/op/.ssh/id_ed25519';
const SECRET = 'correct horse';
const WRONG = 'tr0ub4dor';
const CLUSTER = { host: 'deis-1.example.com', port: 22, user: 'core', domain: 'example.com', identity: KEY };

/** As cluster/ssh.ts unlocks a key: up to three tries, an empty answer skips it. */
async function unlock(passphrases: PassphraseRequests, asked: Array<string | undefined>): Promise<string | undefined> {
	for (let attempt = 1; attempt <= 3; attempt += 1) {
		const typed = await passphrases.ask(KEY, attempt);
		asked.push(typed);
		if (typed === undefined) return `No passphrase was given for ${KEY}; it was skipped.`;
		if (typed === SECRET) return undefined;
	}
	return `The passphrase for ${KEY} was wrong three times; it was skipped.`;
}

function start(initial: Partial<PlanAnswers>, options: { assumeYes?: boolean; inRun?: boolean } = {}) {
	const passphrases = createPassphraseRequests();
	const asked: Array<string | undefined> = [];
	const fake = fakeServices({
		run: async (answers, handle) => {
			if (options.inRun) {
				const refused = await unlock(passphrases, asked);
				if (refused) return summaryFor(answers, { ok: false, error: refused, failedStage: 'connect' });
			}
			await pushStages(answers, handle);
			return summaryFor(answers);
		},
	});
	if (!options.inRun) fake.services.checkConnection = () => unlock(passphrases, asked);
	const exits: WizardOutcome[] = [];
	const app = render(<Wizard services={fake.services} initial={initial} assumeYes={options.assumeYes ?? false} homeDir="/home/op" passphrases={passphrases} onExit={(outcome) => exits.push(outcome)} />);
	return { ...app, ...fake, exits, asked, passphrases };
}

/** Every connection setting came from flags: the form opens on its review, and Enter accepts it. */
async function submitPrefilledForm({ lastFrame, stdin }: { lastFrame: () => string | undefined; stdin: { write(data: string): void } }) {
	await waitFor(lastFrame, '❯ Use these settings');
	await press(stdin, keys.enter);
}

function noSecretIn(frames: readonly string[], ...secrets: string[]) {
	for (const frame of frames) for (const secret of secrets) assert.ok(!frame.includes(secret), `"${secret}" reached the screen:\n${frame}`);
}

describe('passphrase prompt in the wizard', () => {
	it('in the connection check: masked, asked again after a wrong one, then the wizard moves on', async () => {
		const app = start({ kind: 'backup', connection: CLUSTER });
		await submitPrefilledForm(app);
		const asking = await waitFor(app.lastFrame, `Passphrase for ${KEY}`);
		assert.match(asking, /Enter on an empty field skips this key\./);
		await press(app.stdin, WRONG);
		await waitFor(app.lastFrame, '•'.repeat(WRONG.length));
		await press(app.stdin, keys.enter);
		await waitFor(app.lastFrame, 'Wrong passphrase, try again.');
		await answer(app.stdin, SECRET);
		await waitFor(app.lastFrame, 'Folder to write the backup to');
		assert.deepEqual(app.asked, [WRONG, SECRET]);
		noSecretIn(app.frames, WRONG, SECRET);
		assert.doesNotMatch(app.lastFrame() ?? '', /Passphrase for/, 'the prompt leaves once answered');
	});

	it('an empty answer skips the key: the form shows why the connection failed', async () => {
		const app = start({ kind: 'backup', connection: CLUSTER });
		await submitPrefilledForm(app);
		await waitFor(app.lastFrame, `Passphrase for ${KEY}`);
		await press(app.stdin, keys.enter);
		await waitFor(app.lastFrame, `No passphrase was given for ${KEY}; it was skipped.`);
		assert.deepEqual(app.asked, [undefined]);
	});

	it('three wrong answers: the key is skipped, and the prompt is not shown a fourth time', async () => {
		const app = start({ kind: 'backup', connection: CLUSTER });
		await submitPrefilledForm(app);
		for (let attempt = 1; attempt <= 3; attempt++) {
			await waitFor(app.lastFrame, attempt === 1 ? `Passphrase for ${KEY}` : 'Wrong passphrase, try again.');
			await answer(app.stdin, `${WRONG}${attempt}`);
			await until(() => app.asked.length === attempt, `answer ${attempt}`);
		}
		await waitFor(app.lastFrame, 'was wrong three times; it was skipped.');
		assert.doesNotMatch(app.lastFrame() ?? '', /Passphrase for/);
		noSecretIn(app.frames, WRONG);
	});

	it('during a run (--yes): asked under the run screen, and the run goes on with the key', async () => {
		const app = start({ kind: 'backup', connection: CLUSTER, folder: '/backups/b' }, { assumeYes: true, inRun: true });
		const asking = await waitFor(app.lastFrame, `Passphrase for ${KEY}`);
		assert.match(asking, /Backing up core@deis-1\.example\.com:22 → \/backups\/b/);
		await answer(app.stdin, SECRET);
		await until(() => app.exits.length === 1, 'the wizard to finish');
		assert.equal(app.exits[0]?.kind === 'ran' && app.exits[0].summary.ok, true);
		noSecretIn(app.frames, SECRET);
	});

	it('Ctrl-C at the prompt during a run skips the key and stops the run', async () => {
		const app = start({ kind: 'backup', connection: CLUSTER, folder: '/backups/b' }, { assumeYes: true, inRun: true });
		await waitFor(app.lastFrame, `Passphrase for ${KEY}`);
		await press(app.stdin, 'half');
		await press(app.stdin, keys.ctrlC);
		await until(() => app.exits.length === 1, 'the wizard to finish');
		assert.deepEqual(app.asked, [undefined]);
		assert.equal(app.calls.signals[0]?.aborted, true);
		noSecretIn(app.frames, 'half');
	});

	it('a question still waiting when the wizard goes is answered with a skip, not left hanging', async () => {
		const app = start({ kind: 'backup', connection: CLUSTER });
		await submitPrefilledForm(app);
		await waitFor(app.lastFrame, `Passphrase for ${KEY}`);
		app.unmount();
		await until(() => app.asked.length === 1, 'the waiting question to be answered');
		assert.deepEqual(app.asked, [undefined]);
	});
});

describe('passphrase requests', () => {
	it('one question at a time, in the order asked; an empty answer is a skip', async () => {
		const requests = createPassphraseRequests();
		const seen: Array<string | undefined> = [];
		requests.subscribe(() => seen.push(requests.current()?.keyFile));
		const first = requests.ask('/a', 1);
		const second = requests.ask('/b', 1);
		assert.equal(requests.current()?.keyFile, '/a');
		requests.answer('pass-a');
		assert.equal(requests.current()?.keyFile, '/b');
		requests.answer('');
		assert.equal(await first, 'pass-a');
		assert.equal(await second, undefined);
		assert.equal(requests.current(), undefined);
		assert.deepEqual(seen, ['/a', '/b', undefined]);
	});

	it('skipAll answers every waiting question with a skip', async () => {
		const requests = createPassphraseRequests();
		const waiting = [requests.ask('/a', 1), requests.ask('/b', 2)];
		requests.skipAll();
		assert.deepEqual(await Promise.all(waiting), [undefined, undefined]);
		assert.equal(requests.current(), undefined);
	});
});
