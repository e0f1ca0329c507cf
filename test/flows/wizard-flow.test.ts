/**
 * The wizard's flow as a pure reducer (source/ui/flow.ts), without Ink:
 * each event from the operator or a check gives the next step and what goes
 * into the transcript.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlanAnswers, RunSummary, StagePreview } from '../../source/plans/types.js';
import { flow, startFlow, type FlowEvent, type FlowOutput, type FlowSetup, type FlowState } from '../../source/ui/flow.js';
import type { SettingsPlan } from '../../source/steps/settings/plan.js';
import { answersOf } from '../../source/ui/connection-flow.js';

const CLUSTER = { host: 'deis-1.example.com', port: 22, user: 'core', domain: 'example.com' };

const STAGES: StagePreview[] = [
	{ stage: 'connect', title: 'Connect', commands: [], optional: false },
	{ stage: 'buckets', title: 'Buckets', commands: [], optional: false },
	{ stage: 'volume', title: 'Save the store volume', commands: [], optional: true },
	{ stage: 'database', title: 'Dump the database', commands: [], optional: true },
];

function setup(patch: Partial<FlowSetup> = {}): FlowSetup {
	return {
		assumeYes: false,
		preview: (answers: PlanAnswers) => STAGES.filter((s) => !(s.stage === 'volume' && answers.skipVolume) && !(s.stage === 'database' && (answers.skipDatabase || answers.kind === 'restore'))),
		offersProfiles: false,
		previewsSettings: false,
		savesProfiles: true,
		form: { homeDir: '/home/op', reviewsGiven: true },
		...patch,
	};
}

/** Plays events in order; returns the last state and everything printed on the way. */
function play(state: FlowState, events: FlowEvent[], config: FlowSetup): { state: FlowState; printed: FlowOutput[] } {
	const printed: FlowOutput[] = [];
	for (const event of events) {
		const next = flow(state, event, config);
		printed.push(...next.output);
		state = next.state;
	}
	return { state, printed };
}

const summary = (patch: Partial<RunSummary> = {}): RunSummary => ({ kind: 'backup', ok: true, folder: '/b', objects: 1, bytes: 1, durationMs: 1, warnings: [], ...patch });
const notes = (printed: FlowOutput[]) => printed.flatMap((o) => (o.kind === 'note' ? [`${o.label} · ${o.value}`] : []));

describe('wizard flow', () => {
	it('a backup from the first question to the run: every answer noted, the preview printed before the last question', () => {
		const config = setup();
		const start = startFlow({}, config);
		assert.equal(start.step.kind, 'kind');
		const { state, printed } = play(
			start,
			[
				{ type: 'kind-chosen', kind: 'backup', label: 'Back up a cluster' },
				{ type: 'connection-submitted', connection: CLUSTER },
				{ type: 'connection-checked', connection: CLUSTER },
				{ type: 'folder-chosen', folder: '/b' },
			],
			config,
		);
		assert.equal(state.step.kind, 'options');
		const questions = state.step.kind === 'options' ? state.step.questions : [];
		assert.deepEqual(questions.map((q) => q.flag), ['skipVolume', 'skipDatabase']);
		const after = play(state, questions.map((question, i) => ({ type: 'option-answered' as const, question, yes: i === 0 })), config);
		assert.equal(after.state.step.kind, 'confirm');
		assert.deepEqual({ skipVolume: after.state.draft.skipVolume, skipDatabase: after.state.draft.skipDatabase }, { skipVolume: false, skipDatabase: true });
		assert.equal(after.printed.at(-1)?.kind, 'preview');
		const run = play(after.state, [{ type: 'run-answered', label: 'Start the backup?', yes: true }], config);
		assert.deepEqual(run.state.step, { kind: 'running', attempt: 0 });
		assert.deepEqual(notes([...printed, ...after.printed, ...run.printed]), [
			'Back up or restore · Back up a cluster',
			'Connection · core@deis-1.example.com:22, domain example.com',
			'Folder · /b',
			'Include “Save the store volume”? · Yes',
			'Include “Dump the database”? · No',
			'Start the backup? · Yes',
		]);
	});

	it('a refused connection goes back to the form with the reason, and the form is a new attempt', () => {
		const config = setup();
		const { state } = play(startFlow({ kind: 'backup' }, config), [
			{ type: 'connection-submitted', connection: CLUSTER },
			{ type: 'connection-checked', connection: CLUSTER, error: 'Permission denied.' },
		], config);
		assert.equal(state.step.kind, 'connection');
		if (state.step.kind !== 'connection') return;
		assert.equal(state.step.attempt, 1);
		assert.deepEqual(state.step.form.phase, { kind: 'review', error: 'Permission denied.' }, 'the wizard reviews the refused answers with the reason');
		assert.deepEqual(answersOf(state.step.form), CLUSTER);
	});

	it('saved connections are offered only when the services keep them and no host was given', () => {
		assert.equal(startFlow({ kind: 'backup' }, setup({ offersProfiles: true })).step.kind, 'profiles');
		assert.equal(startFlow({ kind: 'backup', connection: CLUSTER }, setup({ offersProfiles: true })).step.kind, 'connection');
		const none = flow(startFlow({ kind: 'backup' }, setup({ offersProfiles: true })), { type: 'profiles-loaded', list: [] }, setup({ offersProfiles: true }));
		assert.equal(none.state.step.kind, 'connection');
		assert.deepEqual(none.state.step.kind === 'connection' && none.state.step.form.phase, { kind: 'where' });
	});

	it('--yes with every answer given starts at the run; without a folder it still asks, but no option question', () => {
		const config = setup({ assumeYes: true });
		assert.deepEqual(startFlow({ kind: 'backup', connection: CLUSTER, folder: '/b' }, config).step, { kind: 'running', attempt: 0 });
		const { state, printed } = play(startFlow({ kind: 'backup', connection: CLUSTER }, config), [
			{ type: 'connection-submitted', connection: CLUSTER },
			{ type: 'connection-checked', connection: CLUSTER },
			{ type: 'folder-chosen', folder: '/b' },
		], config);
		assert.deepEqual(state.step, { kind: 'running', attempt: 0 });
		assert.equal(printed.at(-1)?.kind, 'preview');
	});

	it('a folder given up front is checked, and only a problem brings up the question', () => {
		const config = setup();
		const given = play(startFlow({ kind: 'backup', folder: '/given' }, config), [
			{ type: 'connection-submitted', connection: CLUSTER },
			{ type: 'connection-checked', connection: CLUSTER },
		], config);
		assert.deepEqual(given.state.step, { kind: 'folder', checkGiven: true });
		assert.equal(flow(given.state, { type: 'given-folder-checked' }, config).state.step.kind, 'options');
		assert.deepEqual(flow(given.state, { type: 'given-folder-checked', error: 'No.' }, config).state.step, { kind: 'folder', error: 'No.', checkGiven: false });
	});

	it('a restore shows the settings picker before the last question; a failed preview is noted and skipped', () => {
		const config = setup({ previewsSettings: true });
		const { state } = play(startFlow({ kind: 'restore', connection: CLUSTER, skipVolume: false, force: false }, config), [
			{ type: 'connection-submitted', connection: CLUSTER },
			{ type: 'connection-checked', connection: CLUSTER },
			{ type: 'folder-chosen', folder: '/b' },
		], config);
		assert.deepEqual(state.step, { kind: 'settings' });
		const failed = flow(state, { type: 'settings-loaded', error: 'etcd down' }, config);
		assert.equal(failed.state.step.kind, 'confirm');
		assert.deepEqual(notes(failed.output), ['Platform settings · not previewed (etcd down); the restore reads them again']);
		const plan = { rows: [], upgrade: { message: '' } } as unknown as SettingsPlan;
		const shown = flow(state, { type: 'settings-loaded', plan }, config);
		assert.deepEqual(shown.state.step, { kind: 'settings', plan });
		const chosen = flow(shown.state, { type: 'settings-chosen', choice: { '/deis/x': false } }, config);
		assert.deepEqual(chosen.state.draft.settingsChoice, { '/deis/x': false });
		assert.equal(chosen.state.step.kind, 'confirm');
	});

	it('a failed optional stage: skip sets its flag and runs again; quit prints the summary and offers no profile', () => {
		const config = setup();
		const running: FlowState = { step: { kind: 'running', attempt: 0 }, draft: { kind: 'backup', connection: CLUSTER, folder: '/b' } };
		const failedRun = summary({ ok: false, failedStage: 'database', failedStageOptional: true, error: 'pg_dumpall failed' });
		const failed = flow(running, { type: 'run-finished', summary: failedRun, aborted: false }, config);
		assert.deepEqual(failed.state.step, { kind: 'failed', summary: failedRun, attempt: 0 });
		assert.deepEqual(failed.output, []);
		const skipped = flow(failed.state, { type: 'failure-chosen', action: 'skip' }, config);
		assert.deepEqual(skipped.state.step, { kind: 'running', attempt: 1 });
		assert.equal(skipped.state.draft.skipDatabase, true);
		const retried = flow(failed.state, { type: 'failure-chosen', action: 'retry' }, config);
		assert.equal(retried.state.draft.skipDatabase, undefined);
		const quit = flow(failed.state, { type: 'failure-chosen', action: 'quit' }, config);
		assert.deepEqual(quit.state.step, { kind: 'summary', summary: failedRun, aborted: false, offerSave: false });
		assert.deepEqual(quit.output, [{ kind: 'summary', summary: failedRun, aborted: false }]);
	});

	it('after a good run a profile is offered, unless the connection came from one', () => {
		const config = setup();
		const running: FlowState = { step: { kind: 'running', attempt: 0 }, draft: { kind: 'backup' } };
		const done = flow(running, { type: 'run-finished', summary: summary(), aborted: false }, config);
		assert.equal(done.state.step.kind === 'summary' && done.state.step.offerSave, true);
		const fromProfile = flow({ ...running, profileName: 'prod' }, { type: 'run-finished', summary: summary(), aborted: false }, config);
		assert.equal(fromProfile.state.step.kind === 'summary' && fromProfile.state.step.offerSave, false);
		const named = play(done.state, [{ type: 'save-answered', yes: true }, { type: 'profile-saved', name: 'prod' }], config);
		assert.deepEqual(named.state.step, { kind: 'exit', outcome: { kind: 'ran', summary: summary(), aborted: false }, note: 'Saved the connection as "prod".' });
	});

	it('Ctrl-C: nothing ran before a run; after a failure the summary is printed first; during a run it is the run screen’s', () => {
		const config = setup();
		const asking = flow(startFlow({}, config), { type: 'interrupted' }, config);
		assert.deepEqual(asking.state.step, { kind: 'exit', outcome: { kind: 'interrupted' }, note: 'Stopped before anything ran; nothing was changed.' });
		const running: FlowState = { step: { kind: 'running', attempt: 0 }, draft: {} };
		assert.deepEqual(flow(running, { type: 'interrupted' }, config).state.step, running.step);
		const failedRun = summary({ ok: false });
		const afterFailure = flow({ step: { kind: 'failed', summary: failedRun, attempt: 0 }, draft: {} }, { type: 'interrupted' }, config);
		assert.deepEqual(afterFailure.output, [{ kind: 'summary', summary: failedRun, aborted: false }]);
		assert.deepEqual(afterFailure.state.step, { kind: 'exit', outcome: { kind: 'ran', summary: failedRun, aborted: false } });
	});

	it('answering no to the run ends the wizard as declined', () => {
		const config = setup();
		const { state } = play({ step: { kind: 'confirm' }, draft: {} }, [{ type: 'run-answered', label: 'Start the backup?', yes: false }], config);
		assert.deepEqual(state.step, { kind: 'exit', outcome: { kind: 'declined' }, note: 'Nothing was run. Start again whenever you are ready.' });
	});
});
