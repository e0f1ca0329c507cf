import './interactive-terminal.js';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { cleanup, render } from 'ink-testing-library';
import type { PlanAnswers } from '../../source/plans/types.js';
import { Wizard } from '../../source/ui/wizard.js';
import type { WizardOutcome } from '../../source/ui/wizard.js';
import { fakeServices, pushStages, succeed, summaryFor } from './fake-services.js';
import type { FakeOptions } from './fake-services.js';
import { answer, erase, keys, press, until, waitFor, waitForAnyFrame } from './helpers.js';

afterEach(() => cleanup());

const CLUSTER = { host: 'deis-1.example.com', port: 22, user: 'core', domain: 'example.com' };

function start(options: FakeOptions = {}, initial: Partial<PlanAnswers> = {}, assumeYes = false) {
	const fake = fakeServices(options);
	const exits: WizardOutcome[] = [];
	const app = render(<Wizard services={fake.services} initial={initial} assumeYes={assumeYes} homeDir="/home/op" onExit={(outcome) => exits.push(outcome)} />);
	return { ...app, ...fake, exits };
}

type App = ReturnType<typeof start>;

const summaryOf = (outcome: WizardOutcome | undefined) => (outcome?.kind === 'ran' ? outcome.summary : undefined);

/** Backup → Vagrant preset, accepting every offered answer. */
async function throughVagrantConnection({ lastFrame, stdin }: App) {
	await waitFor(lastFrame, '❯ Back up a cluster');
	await press(stdin, keys.enter);
	await waitFor(lastFrame, '❯ Vagrant on this machine');
	await press(stdin, keys.enter);
	for (const offered of ['(127.0.0.1)', '(2222)', '(core)', '(~/.vagrant.d/insecure_private_key)', '(local3.deisapp.com)']) {
		await waitFor(lastFrame, offered);
		await press(stdin, keys.enter);
	}
}

/** From the folder question to the running screen, accepting the defaults. */
async function throughBackupOptions({ lastFrame, stdin }: App) {
	await waitFor(lastFrame, 'Folder to write the backup to (/backups/backup-127.0.0.1)');
	await press(stdin, keys.enter);
	await waitFor(lastFrame, 'Include “Save the store volume”? (Y/n)');
	await press(stdin, keys.enter);
	await waitFor(lastFrame, 'Include “Dump the database”? (Y/n)');
	await press(stdin, keys.enter);
	await waitFor(lastFrame, 'Start the backup? (Y/n)');
	await press(stdin, keys.enter);
}

describe('Wizard', () => {
	it('backup with the Vagrant preset: preview, run with progress, summary, save the profile', async () => {
		const app = start({ saveProfile: true });
		await throughVagrantConnection(app);
		await waitFor(app.lastFrame, 'Folder to write the backup to');
		assert.deepEqual(app.calls.connections, [
			{ host: '127.0.0.1', port: 2222, user: 'core', identity: '/home/op/.vagrant.d/insecure_private_key', domain: 'local3.deisapp.com' },
		]);
		assert.deepEqual(app.calls.domains, ['local3.deisapp.com']);
		await press(app.stdin, keys.enter);
		await waitFor(app.lastFrame, 'Include “Save the store volume”?');
		await press(app.stdin, keys.enter);
		await waitFor(app.lastFrame, 'Include “Dump the database”?');
		await press(app.stdin, keys.enter);
		const preview = await waitFor(app.lastFrame, 'Start the backup?');
		assert.match(preview, /What will happen\n1\. Connect over SSH\n +\$ ssh -p 2222 core@127\.0\.0\.1/);
		assert.match(preview, /\$ docker exec deis-database sudo -u postgres pg_dumpall > dump_all\.sql/);
		assert.match(preview, /✔ Connection · core@127\.0\.0\.1:2222, domain local3\.deisapp\.com/);
		assert.match(preview, /✔ Folder · \/backups\/backup-127\.0\.0\.1/);
		await press(app.stdin, keys.enter);

		const running = await waitForAnyFrame(app.frames, '120/2000 objects');
		assert.match(running, /Backing up core@127\.0\.0\.1:2222 → \/backups\/backup-127\.0\.0\.1/);
		assert.match(running, /10\.0 MB \/ 40\.0 MB/);
		assert.match(running, /Ctrl-C stops safely; run the same command again to resume\./);

		const done = await waitFor(app.lastFrame, 'Save this connection as a profile for next time?');
		assert.match(done, /✔ Backup complete/);
		assert.match(done, /Restore with: deis-backup restore \/backups\/backup-127\.0\.0\.1/);
		assert.deepEqual(app.calls.runs, [
			{
				kind: 'backup',
				connection: { host: '127.0.0.1', port: 2222, user: 'core', identity: '/home/op/.vagrant.d/insecure_private_key', domain: 'local3.deisapp.com' },
				folder: '/backups/backup-127.0.0.1',
				skipDatabase: false,
				skipVolume: false,
			},
		]);
		await answer(app.stdin, 'y');
		await waitFor(app.lastFrame, 'Profile name (vagrant)');
		await press(app.stdin, keys.enter);
		await until(() => app.exits.length === 1, 'exit');
		assert.deepEqual(app.calls.saved, [{ name: 'vagrant', connection: app.calls.runs[0]?.connection }]);
		assert.equal(summaryOf(app.exits[0])?.ok, true);
		await waitFor(app.lastFrame, 'Saved the connection as "vagrant".');
	});

	it('an alias typed as the host: the offered port 22 is left to the services, which resolve it as ssh_config says', async () => {
		const fake = fakeServices({});
		const resolved: unknown[] = [];
		// As the real services: ssh_config's Port for the alias when no port was answered.
		fake.services.resolveConnection = async (answers) => {
			resolved.push(answers);
			return { ...answers, port: answers.port ?? (answers.host === 'deis-prod' ? 2200 : 22), user: answers.user ?? 'core' };
		};
		const app = render(<Wizard services={fake.services} initial={{ kind: 'backup' }} homeDir="/home/op" onExit={() => {}} />);
		await waitFor(app.lastFrame, 'Another host');
		await press(app.stdin, keys.down, keys.enter);
		await waitFor(app.lastFrame, 'Hostname or IP of a cluster machine ›');
		await answer(app.stdin, 'deis-prod');
		for (const offered of ['SSH port (22)', 'SSH user (core)', 'SSH private key file']) {
			await waitFor(app.lastFrame, offered);
			await press(app.stdin, keys.enter);
		}
		await waitFor(app.lastFrame, 'Cluster domain ›');
		await answer(app.stdin, 'example.com');
		const folder = await waitFor(app.lastFrame, 'Folder to write the backup to');
		assert.deepEqual(resolved, [{ host: 'deis-prod', domain: 'example.com' }], 'neither 22 nor core was made an answer');
		assert.deepEqual(fake.calls.connections, [{ host: 'deis-prod', port: 2200, user: 'core', domain: 'example.com' }]);
		assert.match(folder, /✔ Connection · core@deis-prod:2200, domain example\.com/);
	});

	it('explains a refused connection and a bad folder, and asks again', async () => {
		const app = start({ connectionErrors: ['SSH to 127.0.0.1:2222 was refused: is the Vagrant machine up?'] });
		await throughVagrantConnection(app);
		const review = await waitFor(app.lastFrame, '✖ SSH to 127.0.0.1:2222 was refused: is the Vagrant machine up?');
		assert.match(review, /Connect with these settings\?/);
		await press(app.stdin, keys.enter);
		await waitFor(app.lastFrame, 'Folder to write the backup to');
		assert.equal(app.calls.connections.length, 2);
		await answer(app.stdin, '/mnt/bad');
		await waitFor(app.lastFrame, '✖ Cannot write to /mnt/bad: permission denied.');
		await erase(app.stdin, '/mnt/bad'.length);
		await answer(app.stdin, '/mnt/ok');
		await waitFor(app.lastFrame, 'Include “Save the store volume”?');
		assert.deepEqual(app.calls.folders, ['/mnt/bad', '/mnt/ok']);
		// Leaving out the database dump.
		await press(app.stdin, keys.enter);
		await waitFor(app.lastFrame, 'Include “Dump the database”?');
		await answer(app.stdin, 'n');
		const preview = await waitFor(app.lastFrame, 'Start the backup?');
		assert.ok(!preview.includes('pg_dumpall'), 'the preview drops the skipped stage');
		await press(app.stdin, keys.enter);
		await until(() => app.exits.length === 1, 'exit');
		assert.equal(app.calls.runs[0]?.skipDatabase, true);
		assert.equal(app.calls.runs[0]?.folder, '/mnt/ok');
	});

	it('restore: pre-filled answers skip their questions; declining the confirmation runs nothing', async () => {
		const app = start({}, { kind: 'restore', connection: CLUSTER, folder: '/backups/one' });
		const review = await waitFor(app.lastFrame, 'Connect with these settings?');
		assert.ok(!review.includes('What do you want to do?'));
		await press(app.stdin, keys.enter);
		await waitFor(app.lastFrame, 'Skip “Restore the store volume”? (y/N)');
		assert.deepEqual(app.calls.folders, ['/backups/one'], 'the given folder was checked, not asked');
		await press(app.stdin, keys.enter);
		await waitFor(app.lastFrame, 'Overwrite objects that differ when a bucket already has data? (type yes or no)');
		await answer(app.stdin, 'no');
		const confirm = await waitFor(app.lastFrame, 'This will write to the cluster deis-1.example.com. Continue? (type yes or no)');
		assert.match(confirm, /\$ deisctl install platform/);
		await answer(app.stdin, 'n');
		await until(() => app.exits.length === 1, 'exit');
		assert.deepEqual(app.exits, [{ kind: 'declined' }]);
		assert.equal(app.calls.runs.length, 0);
		await waitFor(app.lastFrame, 'Nothing was run.');
	});

	it('restore accepted: summary says what to do next', async () => {
		const app = start({}, { kind: 'restore', connection: CLUSTER, folder: '/backups/one', skipVolume: false, force: false });
		await waitFor(app.lastFrame, 'Connect with these settings?');
		await press(app.stdin, keys.enter);
		await waitFor(app.lastFrame, 'Continue? (type yes or no)');
		await answer(app.stdin, 'yes');
		await until(() => app.exits.length === 1, 'exit');
		const frame = await waitFor(app.lastFrame, '✔ Restore complete');
		assert.match(frame, /deisctl start platform/);
		assert.deepEqual(app.calls.runs[0], { kind: 'restore', connection: CLUSTER, folder: '/backups/one', skipDatabase: false, skipVolume: false, force: false });
	});

	it('failure → Retry runs again and can succeed', async () => {
		const app = start({
			run: async (answers, handle, attempt) => {
				if (attempt > 1) return succeed(answers, handle, attempt);
				await pushStages(answers, handle, { stage: 'buckets', message: 'The gateway stopped answering.' });
				return summaryFor(answers, { ok: false, error: 'The gateway stopped answering.', failedStage: 'buckets', failedStageOptional: false });
			},
		});
		await throughVagrantConnection(app);
		await throughBackupOptions(app);
		const failed = await waitFor(app.lastFrame, 'What now?');
		assert.match(failed, /✖ Download the buckets failed: The gateway stopped answering\./);
		assert.ok(!failed.includes('Skip this stage'), 'a required stage cannot be skipped');
		await press(app.stdin, keys.enter);
		await until(() => app.exits.length === 1, 'exit');
		assert.equal(app.calls.runs.length, 2);
		assert.deepEqual(app.calls.runs[1], app.calls.runs[0], 'the retry runs the same plan');
		assert.equal(summaryOf(app.exits[0])?.ok, true);
		await waitFor(app.lastFrame, '✔ Backup complete');
	});

	it('failure of an optional stage → Skip runs again without it', async () => {
		const app = start({
			run: async (answers, handle) => {
				if (answers.skipDatabase) return succeed(answers, handle, 0);
				await pushStages(answers, handle, { stage: 'database', message: 'pg_dumpall exited with status 1.' });
				return summaryFor(answers, { ok: false, error: 'pg_dumpall exited with status 1.', failedStage: 'database', failedStageOptional: true });
			},
		});
		await throughVagrantConnection(app);
		await throughBackupOptions(app);
		await waitFor(app.lastFrame, 'Skip this stage');
		await press(app.stdin, keys.down);
		await waitFor(app.lastFrame, '❯ Skip this stage');
		await press(app.stdin, keys.enter);
		await until(() => app.exits.length === 1, 'exit');
		assert.equal(app.calls.runs.length, 2);
		assert.equal(app.calls.runs[0]?.skipDatabase, false);
		assert.equal(app.calls.runs[1]?.skipDatabase, true);
		assert.equal(app.calls.runs[1]?.skipVolume, false);
	});

	it('failure → Quit shows what was kept and how to resume', async () => {
		const app = start({
			run: async (answers) => summaryFor(answers, { ok: false, error: 'Disk full while writing registry/x.', failedStage: 'buckets', objects: 7 }),
		});
		await throughVagrantConnection(app);
		await throughBackupOptions(app);
		await waitFor(app.lastFrame, 'Quit and keep what was saved');
		await press(app.stdin, keys.down, keys.enter);
		await until(() => app.exits.length === 1, 'exit');
		const frame = await waitFor(app.lastFrame, 'Resume with the same command');
		assert.match(frame, /✖ Backup stopped: Disk full while writing registry\/x\./);
		assert.equal(summaryOf(app.exits[0])?.ok, false);
		assert.equal(app.calls.runs.length, 1);
	});

	it('Ctrl-C while running stops safely through the abort signal', async () => {
		let finish: () => void = () => {};
		const app = start({
			run: async (answers, handle) => {
				handle.onViews([{ id: 'buckets', title: 'Download the buckets', state: 'running', subtasks: [] }]);
				await new Promise<void>((resolve) => handle.signal.addEventListener('abort', () => resolve()));
				await new Promise<void>((resolve) => (finish = resolve));
				return summaryFor(answers, { ok: false, error: 'Stopped by the operator.', objects: 3 });
			},
		});
		await throughVagrantConnection(app);
		await throughBackupOptions(app);
		await waitFor(app.lastFrame, 'Ctrl-C stops safely');
		await until(() => app.calls.signals.length === 1, 'run started');
		assert.equal(app.calls.signals[0]?.aborted, false);
		await press(app.stdin, keys.ctrlC);
		await waitFor(app.lastFrame, 'Stopping safely…');
		assert.equal(app.calls.signals[0]?.aborted, true);
		assert.equal(app.exits.length, 0, 'the wizard waits for the run to stop');
		finish();
		await until(() => app.exits.length === 1, 'exit');
		const frame = await waitFor(app.lastFrame, 'Backup stopped at your request (Ctrl-C)');
		assert.match(frame, /Resume with the same command: deis-backup backup \/backups\/backup-127\.0\.0\.1/);
		assert.equal(summaryOf(app.exits[0])?.objects, 3);
		assert.equal(app.calls.runs.length, 1);
	});

	it('Ctrl-C before anything runs leaves at once', async () => {
		const app = start();
		await waitFor(app.lastFrame, 'What do you want to do?');
		await press(app.stdin, keys.ctrlC);
		await until(() => app.exits.length === 1, 'exit');
		assert.deepEqual(app.exits, [{ kind: 'interrupted' }]);
		await waitFor(app.lastFrame, 'nothing was changed');
	});

	it('a saved profile opens on the review and is not offered for saving again', async () => {
		const app = start({ saveProfile: true, profiles: [{ name: 'prod', connection: CLUSTER }] }, { kind: 'backup' });
		const choose = await waitFor(app.lastFrame, 'Use a saved connection?');
		assert.match(choose, /❯ prod +core@deis-1\.example\.com:22, domain example\.com/);
		await press(app.stdin, keys.enter);
		await waitFor(app.lastFrame, 'Connect with these settings?');
		await press(app.stdin, keys.enter);
		await waitFor(app.lastFrame, 'Folder to write the backup to (/backups/backup-deis-1.example.com)');
		await press(app.stdin, keys.enter);
		for (const question of ['Save the store volume', 'Dump the database', 'Start the backup?']) {
			await waitFor(app.lastFrame, question);
			await press(app.stdin, keys.enter);
		}
		await until(() => app.exits.length === 1, 'exit');
		assert.ok(!(app.lastFrame() ?? '').includes('Save this connection'));
		assert.deepEqual(app.calls.runs[0]?.connection, CLUSTER);
		assert.equal(app.calls.saved.length, 0);
	});

	it('y and Enter typed together answer one question; a second Enter in the same read does not answer the next', async () => {
		const app = start();
		await throughVagrantConnection(app);
		await waitFor(app.lastFrame, 'Folder to write the backup to');
		await press(app.stdin, keys.enter);
		await waitFor(app.lastFrame, 'Include “Save the store volume”? (Y/n)');
		app.stdin.write('n\r\r');
		const next = await waitFor(app.lastFrame, '? Include “Dump the database”? (Y/n) ›');
		assert.match(next, /✔ Include “Save the store volume”\? · No/);
		assert.ok(!next.includes('Include “Dump the database”? · '), 'the second Enter was not taken as an answer');
		await press(app.stdin, keys.enter);
		await waitFor(app.lastFrame, 'Start the backup?');
		await press(app.stdin, keys.enter);
		await until(() => app.exits.length === 1, 'exit');
		assert.equal(app.calls.runs[0]?.skipVolume, true);
		assert.equal(app.calls.runs[0]?.skipDatabase, false);
	});

	it('at the restore, a stray Enter neither skips "Overwrite…?" nor ends the run with "Nothing was run"', async () => {
		const app = start({}, { kind: 'restore', connection: CLUSTER, folder: '/backups/one', skipVolume: false });
		await waitFor(app.lastFrame, 'Connect with these settings?');
		await press(app.stdin, keys.enter);
		await waitFor(app.lastFrame, 'Overwrite objects that differ when a bucket already has data? (type yes or no)');
		await press(app.stdin, keys.enter);
		await waitFor(app.lastFrame, '✖ Type yes to go ahead, or no.');
		await answer(app.stdin, 'no');
		await waitFor(app.lastFrame, 'Continue? (type yes or no)');
		await press(app.stdin, keys.enter);
		await waitFor(app.lastFrame, '✖ Type yes to go ahead, or no.');
		assert.equal(app.exits.length, 0, 'still asking');
		assert.ok(!(app.lastFrame() ?? '').includes('Nothing was run'));
		await answer(app.stdin, 'yes');
		await until(() => app.exits.length === 1, 'exit');
		assert.equal(app.calls.runs[0]?.force, false);
	});

	it('--yes with every answer given: no question at all, the run in the live task view, the summary, no profile offer', async () => {
		const initial = { kind: 'restore' as const, connection: CLUSTER, folder: '/backups/one', skipDatabase: true, skipVolume: false, force: false };
		const app = start({ saveProfile: true }, initial, true);
		await until(() => app.exits.length === 1, 'exit without a key pressed');
		assert.deepEqual(app.calls.runs, [initial]);
		assert.deepEqual(app.calls.connections, [], 'no separate connection check: the run connects');
		assert.ok(!app.frames.some((frame) => /^\? /m.test(frame)), 'no question was shown');
		assert.ok(app.frames.some((frame) => frame.includes('Restoring core@deis-1.example.com:22 ← /backups/one')), 'the live task view');
		assert.match(app.lastFrame() ?? '', /✔ Restore complete/);
		assert.equal(summaryOf(app.exits[0])?.ok, true);
		assert.equal(app.calls.saved.length, 0);
	});

	it('--yes after a failure quits with the summary instead of asking what now', async () => {
		const initial = { kind: 'backup' as const, connection: CLUSTER, folder: '/backups/one', skipDatabase: false, skipVolume: false };
		const app = start({ run: async (answers) => summaryFor(answers, { ok: false, error: 'Disk full.', failedStage: 'buckets' }) }, initial, true);
		await until(() => app.exits.length === 1, 'exit');
		assert.ok(!app.frames.some((frame) => frame.includes('What now?')));
		assert.match(app.lastFrame() ?? '', /✖ Backup stopped: Disk full\./);
		assert.equal(summaryOf(app.exits[0])?.ok, false);
	});
});
