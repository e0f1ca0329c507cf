/**
 * The guided flow: what to do, where the cluster is, which folder, which
 * optional stages, a preview of the procedure, the run, and what next.
 * The flow itself is the pure reducer in flow.ts; this draws its steps, runs
 * the checks each step waits on, and prints what it settles. The screens
 * themselves live in components/.
 */
import { homedir } from 'node:os';
import { Box, Text, useApp } from 'ink';
import type { ReactElement } from 'react';
import { useEffect, useRef, useState } from 'react';
import type { ConnectionSettings } from '../settings.js';
import type { PlanAnswers, PlanKind, RunSummary, StagePreview } from '../plans/types.js';
import { ConfirmPrompt } from './components/confirm-prompt.js';
import { ConnectionForm } from './components/connection-form.js';
import { FailureChoice } from './components/failure-choice.js';
import { PassphrasePrompt } from './components/passphrase-prompt.js';
import { RunScreen } from './components/run-screen.js';
import { SelectPrompt } from './components/select-prompt.js';
import { SettingsPicker } from './components/settings-picker.js';
import { Spinner } from './components/spinner.js';
import { StagePreviewList } from './components/stage-preview-list.js';
import { Summary } from './components/summary.js';
import { TextPrompt } from './components/text-prompt.js';
import { completeAnswers, describeConnection, flow, startFlow, type Draft, type FlowEvent, type FlowSetup, type FlowState, type SavedProfile, type WizardOutcome } from './flow.js';
import { runQuestion, SKIP_FLAG } from './questions.js';
import type { PassphraseRequests } from './passphrase-requests.js';
import type { WizardServices } from './services.js';
import { symbols } from './symbols.js';
import { Printed, Transcript, usePrint } from './transcript.js';
import { isCtrlC, useKeys } from './use-keys.js';
import { checkReadableFile } from './key-paths.js';
import { messageOf } from '../errors.js';

export interface WizardProps {
	services: WizardServices;
	/** Answers already known (flags, environment); their questions are skipped or pre-filled. */
	initial?: Partial<PlanAnswers>;
	/**
	 * `--yes`: no questions. With every answer given, the run starts at once in
	 * the live task view; optional stages keep their defaults, nothing is
	 * overwritten without --force, and no profile is offered.
	 */
	assumeYes?: boolean;
	/** Printed above everything else, once (the demo's description of its clusters). */
	intro?: ReactElement;
	onExit: (outcome: WizardOutcome) => void;
	/** For `~` in key paths; defaults to the real home folder. */
	homeDir?: string;
	/** Clock for the elapsed time; injectable for tests. */
	clock?: () => number;
	/** Where the services' SSH connections leave a key's passphrase question, drawn under whatever is live. */
	passphrases?: PassphraseRequests;
}

export type { WizardOutcome } from './flow.js';

/**
 * The wizard: the transcript of what is settled, and below it the one
 * question or run that is live. Nothing is drawn, and no key is taken as an
 * answer, until keys typed before it appeared have been read and dropped.
 */
export function Wizard(props: WizardProps) {
	const ready = useTypeAheadDropped();
	const { passphrases } = props;
	// A connection still waiting for a passphrase when the wizard goes must not wait forever.
	useEffect(() => () => passphrases?.skipAll(), [passphrases]);
	return (
		<Transcript>
			{props.intro ? <Printed>{props.intro}</Printed> : null}
			{ready ? <WizardFlow {...props} /> : null}
			{ready && passphrases ? <PassphrasePrompt requests={passphrases} /> : null}
		</Transcript>
	);
}

/**
 * Turns raw mode on at once so keys typed before the first question (during
 * start-up, or after a previous screen let go of the terminal) are read, and
 * drops them; true once they are gone. Raw mode makes the terminal hand over
 * what it buffered; Node reads it in the next poll phase, which two
 * setImmediate turns outlast.
 */
function useTypeAheadDropped(): boolean {
	const [ready, setReady] = useState(false);
	useKeys(() => {});
	useEffect(() => {
		let inner: NodeJS.Immediate | undefined;
		const outer = setImmediate(() => {
			inner = setImmediate(() => setReady(true));
		});
		return () => {
			clearImmediate(outer);
			if (inner) clearImmediate(inner);
		};
	}, []);
	return ready;
}

function WizardFlow({ services, initial = {}, assumeYes = false, onExit, homeDir = homedir(), clock = Date.now }: WizardProps) {
	const { exit } = useApp();
	const print = usePrint();
	const [setup] = useState<FlowSetup>(() => ({
		assumeYes,
		preview: (answers) => services.preview(answers),
		offersProfiles: services.profiles !== undefined,
		previewsSettings: services.settingsPreview !== undefined,
		savesProfiles: services.saveProfile !== undefined,
	}));
	const [state, setState] = useState<FlowState>(() => startFlow(initial, setup));
	// Events can come faster than React re-renders (a check resolving as a key arrives): the ref is the truth.
	const current = useRef(state);
	const { step, draft } = state;

	const dispatch = (event: FlowEvent) => {
		const { state: next, output } = flow(current.current, event, setup);
		current.current = next;
		for (const item of output) {
			if (item.kind === 'note') print(<Answered label={item.label} value={item.value} />);
			else if (item.kind === 'preview') print(<StagePreviewList stages={services.preview(item.answers)} />);
			// The summary goes into the transcript as the run's last word, before any question after it.
			else print(<Summary summary={item.summary} aborted={item.aborted} stages={safeStages(services, next.draft)} />);
		}
		setState(next);
	};
	const answers = (): PlanAnswers => completeAnswers(draft);

	// Ctrl-C outside a run leaves without touching anything; during a run the run screen handles it.
	useKeys(
		(input, key) => {
			if (isCtrlC(input, key)) dispatch({ type: 'interrupted' });
		},
		step.kind !== 'running' && step.kind !== 'exit',
	);

	useEffect(() => {
		if (step.kind !== 'exit') return;
		onExit(step.outcome);
		exit();
	}, [step]);

	useEffect(() => {
		if (step.kind !== 'profiles' || step.list) return;
		let live = true;
		const load = services.profiles?.() ?? Promise.resolve([]);
		load.then(
			(list) => live && dispatch({ type: 'profiles-loaded', list }),
			() => live && dispatch({ type: 'profiles-loaded', list: [] }),
		);
		return () => void (live = false);
	}, [step]);

	// The settings preview reads the new cluster's etcd: loaded once the folder and options are known.
	useEffect(() => {
		if (step.kind !== 'settings' || step.plan || !services.settingsPreview) return;
		let live = true;
		services.settingsPreview(answers()).then(
			(plan) => live && dispatch(plan ? { type: 'settings-loaded', plan } : { type: 'settings-loaded' }),
			(thrown: unknown) => live && dispatch({ type: 'settings-loaded', error: messageOf(thrown) }),
		);
		return () => void (live = false);
	}, [step]);

	useEffect(() => {
		if (step.kind !== 'connecting') return;
		let live = true;
		const { connection } = step;
		services.checkConnection(connection).then(
			(error) => live && dispatch(error ? { type: 'connection-checked', connection, error } : { type: 'connection-checked', connection }),
			(thrown: unknown) => live && dispatch({ type: 'connection-checked', connection, error: messageOf(thrown) }),
		);
		return () => void (live = false);
	}, [step]);

	// A folder given up front is checked without asking; only a problem brings up the question.
	useEffect(() => {
		if (step.kind !== 'folder' || !step.checkGiven || draft.folder === undefined || draft.kind === undefined) return;
		let live = true;
		services.checkFolder(draft.kind, draft.folder).then(
			(error) => live && dispatch(error ? { type: 'given-folder-checked', error } : { type: 'given-folder-checked' }),
			(thrown: unknown) => live && dispatch({ type: 'given-folder-checked', error: messageOf(thrown) }),
		);
		return () => void (live = false);
	}, [step]);

	const body = (() => {
		switch (step.kind) {
			case 'kind':
				return (
					<SelectPrompt<PlanKind>
						label="What do you want to do?"
						items={[
							{ label: 'Back up a cluster', value: 'backup', hint: 'copy the store buckets, the store volume and a database dump to a folder' },
							{ label: 'Restore a backup into a new cluster', value: 'restore', hint: 'before the rest of the platform starts' },
						]}
						onSubmit={(kind, item) => dispatch({ type: 'kind-chosen', kind, label: item.label })}
					/>
				);
			case 'profiles':
				if (!step.list) return <Waiting label="Loading saved connections…" />;
				return (
					<SelectPrompt<SavedProfile | undefined>
						label="Use a saved connection?"
						items={[
							...step.list.map((p) => ({ label: p.name, value: p, hint: describeConnection(p.connection) })),
							{ label: 'Enter new connection settings', value: undefined },
						]}
						onSubmit={(profile) => dispatch(profile ? { type: 'profile-chosen', profile } : { type: 'profile-chosen' })}
					/>
				);
			case 'connection':
				return (
					<ConnectionForm
						key={step.attempt}
						initial={step.initial ?? draft.connection ?? {}}
						homeDir={homeDir}
						checkIdentity={services.checkIdentity?.bind(services) ?? checkReadableFile}
						checkDomain={(c) => services.checkDomain(c, draft.kind ?? 'backup')}
						{...(step.error ? { error: step.error } : {})}
						onSubmit={(connection) => dispatch({ type: 'connection-submitted', connection })}
					/>
				);
			case 'connecting':
				return <Waiting label={`Connecting to ${step.connection.user}@${step.connection.host}:${step.connection.port} over SSH…`} />;
			case 'folder': {
				const kind = draft.kind ?? 'backup';
				if (step.checkGiven) return <Waiting label={`Checking ${draft.folder ?? ''}…`} />;
				const suggested = draft.folder ?? (draft.connection ? services.defaultFolder(kind, draft.connection) : '');
				return (
					<TextPrompt
						key={`folder:${step.error ?? ''}`}
						label={kind === 'backup' ? 'Folder to write the backup to' : 'Backup folder to restore from'}
						{...(suggested ? { defaultValue: suggested } : {})}
						{...(step.error ? { initialError: step.error } : {})}
						validate={(folder) => (folder === '' ? 'Enter a folder.' : services.checkFolder(kind, folder))}
						checkingLabel={(folder) => `checking ${folder}…`}
						onSubmit={(folder) => dispatch({ type: 'folder-chosen', folder })}
					/>
				);
			}
			case 'options': {
				const [question] = step.questions;
				if (!question) return null;
				return (
					<ConfirmPrompt
						key={question.flag}
						label={question.label}
						defaultValue={question.defaultYes}
						destructive={question.destructive}
						onSubmit={(yes) => dispatch({ type: 'option-answered', question, yes })}
					/>
				);
			}
			case 'settings':
				if (!step.plan) return <Waiting label="Reading the new cluster's settings to compare with the backup…" />;
				return <SettingsPicker plan={step.plan} onSubmit={(choice) => dispatch({ type: 'settings-chosen', choice })} />;
			case 'confirm': {
				const question = runQuestion(answers());
				return (
					<ConfirmPrompt
						label={question.label}
						defaultValue={question.defaultYes}
						destructive={question.destructive}
						onSubmit={(yes) => dispatch({ type: 'run-answered', label: question.label, yes })}
					/>
				);
			}
			case 'running':
				return <RunScreen key={step.attempt} answers={answers()} run={(a, h) => services.run(a, h)} clock={clock} onDone={(summary, aborted) => dispatch({ type: 'run-finished', summary, aborted })} />;
			case 'failed': {
				const { summary } = step;
				const stage = findStage(services.preview(answers()), summary);
				const optional = summary.failedStageOptional === true && summary.failedStage !== undefined && SKIP_FLAG[summary.failedStage] !== undefined;
				return (
					<FailureChoice
						reason={summary.error ?? 'The run stopped.'}
						{...(stage ? { stageTitle: stage.title } : {})}
						optional={optional}
						onChoice={(action) => dispatch({ type: 'failure-chosen', action })}
					/>
				);
			}
			case 'summary':
				return <SummaryExit offerSave={step.offerSave} onAnswer={(yes) => dispatch({ type: 'save-answered', yes })} />;
			case 'name-profile': {
				const connection = answers().connection;
				return (
					<TextPrompt
						label="Profile name"
						defaultValue={suggestProfileName(connection)}
						hint="Saved: host, port, user, key path and domain. Gateway keys are never saved."
						validate={async (name) => {
							if (!/^[A-Za-z0-9._-]+$/.test(name)) return 'Use letters, digits, dots, hyphens and underscores.';
							await services.saveProfile?.(name, connectionOnly(connection));
							return undefined;
						}}
						checkingLabel={(name) => `saving profile ${name}…`}
						onSubmit={(name) => dispatch({ type: 'profile-saved', name })}
					/>
				);
			}
			case 'exit':
				return step.note ? <Text>{step.note}</Text> : null;
		}
	})();

	return <Box flexDirection="column">{body}</Box>;
}

/** A settled answer, as the transcript keeps it. */
function Answered({ label, value }: { label: string; value: string }) {
	return (
		<Text>
			<Text color="green">{symbols.done}</Text> {label} <Text dimColor>·</Text> {value}
		</Text>
	);
}

/** After the summary: offer to save the connection, or leave at once when there is nothing to offer. */
function SummaryExit({ offerSave, onAnswer }: { offerSave: boolean; onAnswer: (yes: boolean) => void }) {
	useEffect(() => {
		if (!offerSave) onAnswer(false);
	}, [offerSave]);
	if (!offerSave) return null;
	return <ConfirmPrompt label="Save this connection as a profile for next time?" defaultValue={false} onSubmit={onAnswer} />;
}

function Waiting({ label }: { label: string }) {
	return (
		<Text>
			<Spinner /> {label}
		</Text>
	);
}

function safeStages(services: WizardServices, draft: Draft) {
	try {
		return services.preview(completeAnswers(draft)).map((s) => s.stage);
	} catch {
		return undefined;
	}
}

function findStage(stages: StagePreview[], summary: RunSummary): StagePreview | undefined {
	return summary.failedStage ? stages.find((s) => s.stage === summary.failedStage) : undefined;
}

function suggestProfileName(c: ConnectionSettings): string {
	if (c.host === '127.0.0.1' && c.port === 2222) return 'vagrant';
	return c.host.replace(/[^A-Za-z0-9._-]/g, '-');
}

/** Only the fields a profile may hold, whatever else the object carries. */
function connectionOnly(c: ConnectionSettings): ConnectionSettings {
	const { host, port, user, identity, knownHosts, acceptNewHostKey, domain, storeEndpoint, tunnel } = c;
	const saved: ConnectionSettings = { host, port, user, domain };
	if (identity !== undefined) saved.identity = identity;
	if (knownHosts !== undefined) saved.knownHosts = knownHosts;
	if (acceptNewHostKey !== undefined) saved.acceptNewHostKey = acceptNewHostKey;
	if (storeEndpoint !== undefined) saved.storeEndpoint = storeEndpoint;
	if (tunnel !== undefined) saved.tunnel = tunnel;
	return saved;
}
