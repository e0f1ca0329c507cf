/**
 * The wizard's flow as a pure reducer: a state and an event in, the next
 * state and what to print out. No React, no I/O: the screens (wizard.tsx)
 * dispatch what the operator answered and what the services found, and draw
 * whatever step comes back; the tests drive it without Ink. The connection
 * questions within it are connection-flow.ts. Both faces follow it: the Ink
 * wizard (wizard.tsx) and `--plain` (commands/line-questions.ts).
 */
import type { ConnectionSettings } from '../settings.js';
import type { PlanAnswers, PlanKind, RunSummary, StagePreview } from '../plans/types.js';
import { chosenKeys, type SettingsPlan } from '../steps/settings/plan.js';
import { optionQuestions, SKIP_FLAG, type OptionQuestion } from './questions.js';
import { formFlow, startForm, withFallbacks, type ConnectionAnswers, type FormEvent, type FormOptions, type FormState } from './connection-flow.js';

/** How the wizard ended. */
export type WizardOutcome =
	/** A run happened; `aborted` when the operator stopped it with Ctrl-C. */
	| { kind: 'ran'; summary: RunSummary; aborted: boolean }
	/** The operator answered no to running: nothing ran. */
	| { kind: 'declined' }
	/** Ctrl-C before anything ran: nothing was changed. */
	| { kind: 'interrupted' };

export interface SavedProfile {
	name: string;
	connection: ConnectionSettings;
}

export type FailureAction = 'retry' | 'skip' | 'quit';

export type Step =
	| { kind: 'kind' }
	| { kind: 'profiles'; list?: SavedProfile[] }
	/** The connection questions (connection-flow.ts); `attempt` counts refused connections. */
	| { kind: 'connection'; form: FormState; attempt: number }
	/** The SSH check of the answers; it also settles the port ssh_config gives an alias. */
	| { kind: 'connecting'; answers: ConnectionAnswers; attempt: number }
	| { kind: 'folder'; error?: string; checkGiven: boolean }
	| { kind: 'options'; questions: OptionQuestion[] }
	| { kind: 'settings'; plan?: SettingsPlan }
	| { kind: 'confirm' }
	| { kind: 'running'; attempt: number }
	| { kind: 'failed'; summary: RunSummary; attempt: number }
	| { kind: 'summary'; summary: RunSummary; aborted: boolean; offerSave: boolean }
	| { kind: 'name-profile'; summary: RunSummary; aborted: boolean }
	| { kind: 'exit'; outcome: WizardOutcome; note?: string };

export type Draft = Partial<PlanAnswers> & { kind?: PlanKind };

export interface FlowState {
	step: Step;
	draft: Draft;
	/** The saved connection picked, if any: it is not offered for saving again. */
	profileName?: string;
}

/** What the flow needs to know of the services and the flags; fixed for one wizard. */
export interface FlowSetup {
	/** `--yes`: no questions; optional stages keep their defaults and no profile is offered. */
	assumeYes: boolean;
	preview(answers: PlanAnswers): StagePreview[];
	offersProfiles: boolean;
	previewsSettings: boolean;
	savesProfiles: boolean;
	/** How the connection questions treat known answers, and the home folder for `~`. */
	form: FormOptions;
}

export type FlowEvent =
	| { type: 'kind-chosen'; kind: PlanKind; label: string }
	| { type: 'profiles-loaded'; list: SavedProfile[] }
	| { type: 'profile-chosen'; profile?: SavedProfile }
	/** An answer to one of the connection questions. */
	| { type: 'form'; event: FormEvent }
	| { type: 'connection-submitted'; connection: ConnectionAnswers }
	/** The SSH check's verdict; on success `connection` is the answers completed (ssh_config's port, or 22). */
	| { type: 'connection-checked'; connection?: ConnectionSettings; error?: string }
	| { type: 'given-folder-checked'; error?: string }
	| { type: 'folder-chosen'; folder: string }
	| { type: 'option-answered'; question: OptionQuestion; yes: boolean }
	| { type: 'settings-loaded'; plan?: SettingsPlan; error?: string }
	| { type: 'settings-chosen'; choice: Record<string, boolean> }
	| { type: 'run-answered'; label: string; yes: boolean }
	| { type: 'run-finished'; summary: RunSummary; aborted: boolean }
	| { type: 'failure-chosen'; action: FailureAction }
	| { type: 'save-answered'; yes: boolean }
	| { type: 'profile-saved'; name: string }
	| { type: 'interrupted' };

/** What goes into the transcript on the way: settled answers, the preview, the summary. */
export type FlowOutput = { kind: 'note'; label: string; value: string } | { kind: 'preview'; answers: PlanAnswers } | { kind: 'summary'; summary: RunSummary; aborted: boolean };

export interface Transition {
	state: FlowState;
	output: FlowOutput[];
}

export function startFlow(initial: Draft, setup: FlowSetup): FlowState {
	return { step: firstStep(initial, setup), draft: initial };
}

export function flow(state: FlowState, event: FlowEvent, setup: FlowSetup): Transition {
	const output: FlowOutput[] = [];
	const note = (label: string, value: string) => output.push({ kind: 'note', label, value });
	const to = (step: Step, patch: Partial<FlowState> = {}): Transition => ({ state: { ...state, ...patch, step }, output });
	const { step, draft } = state;

	/** The preview goes into the transcript; with --yes it is the last word before the run. */
	const confirmOrRun = (next: Draft): Step => {
		output.push({ kind: 'preview', answers: completeAnswers(next) });
		return setup.assumeYes ? { kind: 'running', attempt: 0 } : { kind: 'confirm' };
	};
	/** A restore shows the platform settings it would apply, to untick, before the last question; --yes keeps the defaults. */
	const beforeConfirm = (next: Draft): Step => (next.kind === 'restore' && setup.previewsSettings && !setup.assumeYes ? { kind: 'settings' } : confirmOrRun(next));
	const summaryStep = (summary: RunSummary, aborted: boolean, offerSave: boolean): Step => {
		output.push({ kind: 'summary', summary, aborted });
		return { kind: 'summary', summary, aborted, offerSave };
	};

	switch (event.type) {
		case 'kind-chosen': {
			const next = { ...draft, kind: event.kind };
			note('Back up or restore', event.label);
			return to(firstAfterKind(next, setup), { draft: next });
		}
		case 'profiles-loaded':
			return to(event.list.length > 0 ? { kind: 'profiles', list: event.list } : connectionStep(draft.connection ?? {}, setup));
		case 'profile-chosen': {
			const { profile } = event;
			if (!profile) return to(connectionStep(draft.connection ?? {}, setup));
			note('Saved connection', profile.name);
			return to(connectionStep(profile.connection, setup), { profileName: profile.name });
		}
		case 'form': {
			if (step.kind !== 'connection') return to(step);
			const form = formFlow(step.form, event.event);
			if (form.phase.kind === 'done') return to({ kind: 'connecting', answers: form.phase.answers, attempt: step.attempt });
			return to({ ...step, form });
		}
		case 'connection-submitted':
			return to({ kind: 'connecting', answers: event.connection, attempt: step.kind === 'connection' ? step.attempt : 0 });
		case 'connection-checked': {
			const attempt = step.kind === 'connecting' ? step.attempt : 0;
			const answers: ConnectionAnswers = step.kind === 'connecting' ? step.answers : (event.connection ?? { host: '', user: '', domain: '' });
			if (event.error) return to({ kind: 'connection', form: startForm(draft.connection ?? {}, setup.form, { error: event.error, previous: answers }), attempt: attempt + 1 });
			const connection = event.connection ?? withFallbacks(answers);
			note('Connection', describeConnection(connection));
			return to({ kind: 'folder', checkGiven: draft.folder !== undefined }, { draft: { ...draft, connection } });
		}
		case 'given-folder-checked':
			if (event.error) return to({ kind: 'folder', error: event.error, checkGiven: false });
			return folderChosen(draft.folder ?? '');
		case 'folder-chosen':
			return folderChosen(event.folder);
		case 'option-answered': {
			const { question, yes } = event;
			const rest = step.kind === 'options' ? step.questions.filter((q) => q !== question) : [];
			const next = { ...draft, [question.flag]: yes === question.yesMeans };
			note(question.label, yes ? 'Yes' : 'No');
			return to(rest.length > 0 ? { kind: 'options', questions: rest } : beforeConfirm(next), { draft: next });
		}
		case 'settings-loaded':
			if (event.plan) return to({ kind: 'settings', plan: event.plan });
			if (event.error !== undefined) note('Platform settings', `not previewed (${event.error}); the restore reads them again`);
			return to(confirmOrRun(draft));
		case 'settings-chosen': {
			const next = { ...draft, settingsChoice: event.choice };
			if (step.kind === 'settings' && step.plan) note('Platform settings', `${chosenKeys(step.plan, event.choice).length} to apply`);
			return to(confirmOrRun(next), { draft: next });
		}
		case 'run-answered':
			note(event.label, event.yes ? 'Yes' : 'No');
			return to(event.yes ? { kind: 'running', attempt: 0 } : { kind: 'exit', outcome: { kind: 'declined' }, note: 'Nothing was run. Start again whenever you are ready.' });
		case 'run-finished': {
			const { summary, aborted } = event;
			const attempt = step.kind === 'running' ? step.attempt : 0;
			if (summary.ok || aborted || setup.assumeYes) return to(summaryStep(summary, aborted, summary.ok && !setup.assumeYes && setup.savesProfiles && state.profileName === undefined));
			return to({ kind: 'failed', summary, attempt });
		}
		case 'failure-chosen': {
			if (step.kind !== 'failed') return to(step);
			if (event.action === 'quit') return to(summaryStep(step.summary, false, false));
			const flag = step.summary.failedStage ? SKIP_FLAG[step.summary.failedStage] : undefined;
			const next = event.action === 'skip' && flag ? { ...draft, [flag]: true } : draft;
			return to({ kind: 'running', attempt: step.attempt + 1 }, { draft: next });
		}
		case 'save-answered':
			if (step.kind !== 'summary') return to(step);
			return to(event.yes ? { kind: 'name-profile', summary: step.summary, aborted: step.aborted } : { kind: 'exit', outcome: { kind: 'ran', summary: step.summary, aborted: step.aborted } });
		case 'profile-saved':
			if (step.kind !== 'name-profile') return to(step);
			return to({ kind: 'exit', outcome: { kind: 'ran', summary: step.summary, aborted: step.aborted }, note: `Saved the connection as "${event.name}".` });
		case 'interrupted':
			// During a run the run screen stops it at a safe point and reports run-finished instead.
			if (step.kind === 'running' || step.kind === 'exit') return to(step);
			if (step.kind === 'summary' || step.kind === 'name-profile') return to({ kind: 'exit', outcome: { kind: 'ran', summary: step.summary, aborted: step.aborted } });
			if (step.kind === 'failed') {
				output.push({ kind: 'summary', summary: step.summary, aborted: false });
				return to({ kind: 'exit', outcome: { kind: 'ran', summary: step.summary, aborted: false } });
			}
			return to({ kind: 'exit', outcome: { kind: 'interrupted' }, note: 'Stopped before anything ran; nothing was changed.' });
	}

	function folderChosen(folder: string): Transition {
		const next = { ...draft, folder };
		note(next.kind === 'restore' ? 'Backup folder' : 'Folder', folder);
		const questions = setup.assumeYes ? [] : questionsFor(next, setup);
		return to(questions.length > 0 ? { kind: 'options', questions } : beforeConfirm(next), { draft: next });
	}
}

function firstStep(initial: Draft, setup: FlowSetup): Step {
	if (!initial.kind) return { kind: 'kind' };
	// --yes with every answer given: straight to the run, as the plain command would.
	if (setup.assumeYes && initial.connection?.host && initial.connection.domain && initial.folder) return { kind: 'running', attempt: 0 };
	return firstAfterKind(initial, setup);
}

function firstAfterKind(draft: Draft, setup: FlowSetup): Step {
	if (draft.connection?.host !== undefined || !setup.offersProfiles) return connectionStep(draft.connection ?? {}, setup);
	return { kind: 'profiles' };
}

/** The connection questions; when the flags answered them all (--plain takes them as given), straight to the SSH check. */
function connectionStep(known: Partial<ConnectionSettings>, setup: FlowSetup): Step {
	const form = startForm(known, setup.form);
	return form.phase.kind === 'done' ? { kind: 'connecting', answers: form.phase.answers, attempt: 0 } : { kind: 'connection', form, attempt: 0 };
}

/** Questions for the optional stages of this plan that were not answered by flags. */
function questionsFor(draft: Draft, setup: FlowSetup): OptionQuestion[] {
	const all = setup.preview(completeAnswers({ ...draft, skipDatabase: false, skipVolume: false }));
	return optionQuestions(draft.kind ?? 'backup', all, draft);
}

/** The answers so far, with what is still open filled in the way a run would take it. */
export function completeAnswers(draft: Draft): PlanAnswers {
	const answers: PlanAnswers = {
		kind: draft.kind ?? 'backup',
		connection: draft.connection ?? { host: '', port: 22, user: '', domain: '' },
		folder: draft.folder ?? '',
		skipDatabase: draft.skipDatabase ?? false,
		skipVolume: draft.skipVolume ?? false,
	};
	if (draft.force !== undefined) answers.force = draft.force;
	if (draft.settingsChoice !== undefined) answers.settingsChoice = draft.settingsChoice;
	return answers;
}

export function describeConnection(c: ConnectionSettings): string {
	return `${c.user}@${c.host}:${c.port}, domain ${c.domain}`;
}
