/**
 * The guided flow: what to do, where the cluster is, which folder, which
 * optional stages, a preview of the procedure, the run, and what next.
 * Each step is a small state; the screens themselves live in components/.
 */
import { homedir } from 'node:os';
import { Box, Text, useApp } from 'ink';
import type { ReactElement } from 'react';
import { useEffect, useState } from 'react';
import type { ConnectionSettings } from '../settings.js';
import type { PlanAnswers, PlanKind, RunSummary, StagePreview } from '../plans/types.js';
import { chosenKeys, type SettingsPlan } from '../steps/settings/plan.js';
import { ConfirmPrompt } from './components/confirm-prompt.js';
import { ConnectionForm } from './components/connection-form.js';
import { FailureChoice } from './components/failure-choice.js';
import { PassphrasePrompt } from './components/passphrase-prompt.js';
import type { FailureAction } from './components/failure-choice.js';
import { RunScreen } from './components/run-screen.js';
import { SelectPrompt } from './components/select-prompt.js';
import { SettingsPicker } from './components/settings-picker.js';
import { Spinner } from './components/spinner.js';
import { StagePreviewList } from './components/stage-preview-list.js';
import { Summary } from './components/summary.js';
import { TextPrompt } from './components/text-prompt.js';
import { optionQuestions, runQuestion, SKIP_FLAG } from './questions.js';
import type { OptionQuestion } from './questions.js';
import type { PassphraseRequests } from './passphrase-requests.js';
import type { SavedProfile, WizardServices } from './services.js';
import { symbols } from './symbols.js';
import { Printed, Transcript, usePrint } from './transcript.js';
import { isCtrlC, useKeys } from './use-keys.js';
import { checkReadableFile } from './key-paths.js';

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

/** How the wizard ended. */
export type WizardOutcome =
	/** A run happened; `aborted` when the operator stopped it with Ctrl-C. */
	| { kind: 'ran'; summary: RunSummary; aborted: boolean }
	/** The operator answered no to running: nothing ran. */
	| { kind: 'declined' }
	/** Ctrl-C before anything ran: nothing was changed. */
	| { kind: 'interrupted' };

type Step =
	| { kind: 'kind' }
	| { kind: 'profiles'; list?: SavedProfile[] }
	| { kind: 'connection'; initial?: Partial<ConnectionSettings>; error?: string; attempt: number }
	| { kind: 'connecting'; connection: ConnectionSettings; attempt: number }
	| { kind: 'folder'; error?: string; checkGiven: boolean }
	| { kind: 'options'; questions: OptionQuestion[] }
	| { kind: 'settings'; plan?: SettingsPlan }
	| { kind: 'confirm' }
	| { kind: 'running'; attempt: number }
	| { kind: 'failed'; summary: RunSummary; attempt: number }
	| { kind: 'summary'; summary: RunSummary; aborted: boolean; offerSave: boolean }
	| { kind: 'name-profile'; summary: RunSummary; aborted: boolean }
	| { kind: 'exit'; outcome: WizardOutcome; note?: string };

type Draft = Partial<PlanAnswers> & { kind?: PlanKind };

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
	const [draft, setDraft] = useState<Draft>(initial);
	const [profileName, setProfileName] = useState<string | undefined>();
	const [step, setStep] = useState<Step>(() => firstStep(initial, services, assumeYes));

	const note = (label: string, value: string) => print(<Answered label={label} value={value} />);
	const update = (patch: Partial<PlanAnswers>) => setDraft((d) => ({ ...d, ...patch }));
	const answers = (): PlanAnswers => completeAnswers(draft);

	// Ctrl-C outside a run leaves without touching anything; during a run the run screen handles it.
	useKeys(
		(input, key) => {
			if (!isCtrlC(input, key)) return;
			if (step.kind === 'summary' || step.kind === 'name-profile') setStep({ kind: 'exit', outcome: { kind: 'ran', summary: step.summary, aborted: step.aborted } });
			else if (step.kind === 'failed') {
				printSummary(step.summary, false);
				setStep({ kind: 'exit', outcome: { kind: 'ran', summary: step.summary, aborted: false } });
			}
			else setStep({ kind: 'exit', outcome: { kind: 'interrupted' }, note: 'Stopped before anything ran; nothing was changed.' });
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
			(list) => live && (list.length > 0 ? setStep({ kind: 'profiles', list }) : setStep({ kind: 'connection', attempt: 0 })),
			() => live && setStep({ kind: 'connection', attempt: 0 }),
		);
		return () => void (live = false);
	}, [step]);

	// The settings preview reads the new cluster's etcd: loaded once the folder and options are known.
	useEffect(() => {
		if (step.kind !== 'settings' || step.plan || !services.settingsPreview) return;
		let live = true;
		services.settingsPreview(answers()).then(
			(plan) => live && setStep(plan ? { kind: 'settings', plan } : confirmOrRun(draft)),
			(thrown: unknown) => {
				if (!live) return;
				note('Platform settings', `not previewed (${thrown instanceof Error ? thrown.message : String(thrown)}); the restore reads them again`);
				setStep(confirmOrRun(draft));
			},
		);
		return () => void (live = false);
	}, [step]);

	useEffect(() => {
		if (step.kind !== 'connecting') return;
		let live = true;
		services.validateConnection(step.connection).then(
			(error) => {
				if (!live) return;
				if (error) setStep({ kind: 'connection', initial: step.connection, error, attempt: step.attempt + 1 });
				else {
					update({ connection: step.connection });
					note('Connection', describe(step.connection));
					setStep({ kind: 'folder', checkGiven: draft.folder !== undefined });
				}
			},
			(thrown: unknown) => live && setStep({ kind: 'connection', initial: step.connection, error: thrown instanceof Error ? thrown.message : String(thrown), attempt: step.attempt + 1 }),
		);
		return () => void (live = false);
	}, [step]);

	// A folder given up front is checked without asking; only a problem brings up the question.
	useEffect(() => {
		if (step.kind !== 'folder' || !step.checkGiven || draft.folder === undefined || draft.kind === undefined) return;
		let live = true;
		const folder = draft.folder;
		services.validateFolder(draft.kind, folder).then(
			(error) => live && (error ? setStep({ kind: 'folder', error, checkGiven: false }) : folderChosen(folder)),
			(thrown: unknown) => live && setStep({ kind: 'folder', error: String(thrown instanceof Error ? thrown.message : thrown), checkGiven: false }),
		);
		return () => void (live = false);
	}, [step]);

	const kindChosen = (kind: PlanKind, label: string) => {
		const next = { ...draft, kind };
		setDraft(next);
		note('Back up or restore', label);
		setStep(firstAfterKind(next, services));
	};

	const folderChosen = (folder: string) => {
		const next = { ...draft, folder };
		note(next.kind === 'restore' ? 'Backup folder' : 'Folder', folder);
		const questions = assumeYes ? [] : questionsFor(next, services);
		setDraft(next);
		setStep(questions.length > 0 ? { kind: 'options', questions } : beforeConfirm(next));
	};

	const optionAnswered = (question: OptionQuestion, yes: boolean, rest: OptionQuestion[]) => {
		const next = { ...draft, [question.flag]: yes === question.yesMeans };
		setDraft(next);
		setStep(rest.length > 0 ? { kind: 'options', questions: rest } : beforeConfirm(next));
	};

	/** A restore shows the platform settings it would apply, to untick, before the last question; --yes keeps the defaults. */
	const beforeConfirm = (next: Draft): Step => (next.kind === 'restore' && services.settingsPreview && !assumeYes ? { kind: 'settings' } : confirmOrRun(next));

	const settingsChosen = (plan: SettingsPlan, choice: Record<string, boolean>) => {
		const next = { ...draft, settingsChoice: choice };
		setDraft(next);
		note('Platform settings', `${chosenKeys(plan, choice).length} to apply`);
		setStep(confirmOrRun(next));
	};

	/** The preview goes into the transcript; with --yes it is the last word before the run. */
	const confirmOrRun = (next: Draft): Step => {
		print(<StagePreviewList stages={services.preview(completeAnswers(next))} />);
		return assumeYes ? { kind: 'running', attempt: 0 } : { kind: 'confirm' };
	};

	/** The summary goes into the transcript as the run's last word, before any question after it. */
	const printSummary = (summary: RunSummary, aborted: boolean) => print(<Summary summary={summary} aborted={aborted} stages={safeStages(services, draft)} />);

	const runFinished = (summary: RunSummary, aborted: boolean, attempt: number) => {
		if (summary.ok || aborted || assumeYes) {
			printSummary(summary, aborted);
			setStep({ kind: 'summary', summary, aborted, offerSave: summary.ok && !assumeYes && services.saveProfile !== undefined && profileName === undefined });
		} else setStep({ kind: 'failed', summary, attempt });
	};

	const failureChosen = (summary: RunSummary, action: FailureAction, attempt: number) => {
		if (action === 'quit') {
			printSummary(summary, false);
			setStep({ kind: 'summary', summary, aborted: false, offerSave: false });
		}
		else {
			const flag = summary.failedStage ? SKIP_FLAG[summary.failedStage] : undefined;
			if (action === 'skip' && flag) update({ [flag]: true });
			setStep({ kind: 'running', attempt: attempt + 1 });
		}
	};

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
						onSubmit={(kind, item) => kindChosen(kind, item.label)}
					/>
				);
			case 'profiles':
				if (!step.list) return <Waiting label="Loading saved connections…" />;
				return (
					<SelectPrompt<SavedProfile | undefined>
						label="Use a saved connection?"
						items={[
							...step.list.map((p) => ({ label: p.name, value: p, hint: describe(p.connection) })),
							{ label: 'Enter new connection settings', value: undefined },
						]}
						onSubmit={(profile) => {
							if (profile) {
								setProfileName(profile.name);
								note('Saved connection', profile.name);
							}
							setStep({ kind: 'connection', ...(profile ? { initial: profile.connection } : {}), attempt: 0 });
						}}
					/>
				);
			case 'connection':
				return (
					<ConnectionForm
						key={step.attempt}
						initial={step.initial ?? draft.connection ?? {}}
						homeDir={homeDir}
						validateIdentity={services.validateIdentity?.bind(services) ?? checkReadableFile}
						validateDomain={(c) => services.validateDomain(c, draft.kind ?? 'backup')}
						{...(step.error ? { error: step.error } : {})}
						onSubmit={(connection) => setStep({ kind: 'connecting', connection, attempt: step.attempt })}
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
						validate={(folder) => (folder === '' ? 'Enter a folder.' : services.validateFolder(kind, folder))}
						checkingLabel={(folder) => `checking ${folder}…`}
						onSubmit={folderChosen}
					/>
				);
			}
			case 'options': {
				const [question, ...rest] = step.questions;
				if (!question) return null;
				return (
					<ConfirmPrompt
						key={question.flag}
						label={question.label}
						defaultValue={question.defaultYes}
						destructive={question.destructive}
						onSubmit={(yes) => {
							note(question.label, yes ? 'Yes' : 'No');
							optionAnswered(question, yes, rest);
						}}
					/>
				);
			}
			case 'settings':
				if (!step.plan) return <Waiting label="Reading the new cluster's settings to compare with the backup…" />;
				return <SettingsPicker plan={step.plan} onSubmit={(choice) => settingsChosen(step.plan as SettingsPlan, choice)} />;
			case 'confirm': {
				const question = runQuestion(answers());
				return (
					<ConfirmPrompt
						label={question.label}
						defaultValue={question.defaultYes}
						destructive={question.destructive}
						onSubmit={(yes) => {
							note(question.label, yes ? 'Yes' : 'No');
							setStep(yes ? { kind: 'running', attempt: 0 } : { kind: 'exit', outcome: { kind: 'declined' }, note: 'Nothing was run. Start again whenever you are ready.' });
						}}
					/>
				);
			}
			case 'running':
				return <RunScreen key={step.attempt} answers={answers()} run={(a, h) => services.run(a, h)} clock={clock} onDone={(summary, aborted) => runFinished(summary, aborted, step.attempt)} />;
			case 'failed': {
				const { summary, attempt } = step;
				const stage = findStage(services.preview(answers()), summary);
				const optional = summary.failedStageOptional === true && summary.failedStage !== undefined && SKIP_FLAG[summary.failedStage] !== undefined;
				return (
					<FailureChoice
						reason={summary.error ?? 'The run stopped.'}
						{...(stage ? { stageTitle: stage.title } : {})}
						optional={optional}
						onChoice={(action) => failureChosen(summary, action, attempt)}
					/>
				);
			}
			case 'summary':
				return <SummaryExit step={step} onNext={setStep} />;
			case 'name-profile': {
				const { summary, aborted } = step;
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
						onSubmit={(name) => setStep({ kind: 'exit', outcome: { kind: 'ran', summary, aborted }, note: `Saved the connection as "${name}".` })}
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

/** After the summary: offer to save the connection, or leave. */
function SummaryExit({ step, onNext }: { step: Extract<Step, { kind: 'summary' }>; onNext: (step: Step) => void }) {
	const { summary, aborted, offerSave } = step;
	const outcome: WizardOutcome = { kind: 'ran', summary, aborted };
	useEffect(() => {
		if (!offerSave) onNext({ kind: 'exit', outcome });
	}, [offerSave]);
	if (!offerSave) return null;
	return (
		<ConfirmPrompt
			label="Save this connection as a profile for next time?"
			defaultValue={false}
			onSubmit={(yes) => onNext(yes ? { kind: 'name-profile', summary, aborted } : { kind: 'exit', outcome })}
		/>
	);
}

function Waiting({ label }: { label: string }) {
	return (
		<Text>
			<Spinner /> {label}
		</Text>
	);
}

function firstStep(initial: Draft, services: WizardServices, assumeYes: boolean): Step {
	if (!initial.kind) return { kind: 'kind' };
	// --yes with every answer given: straight to the run, as the plain command would.
	if (assumeYes && initial.connection?.host && initial.connection.domain && initial.folder) return { kind: 'running', attempt: 0 };
	return firstAfterKind(initial, services);
}

function firstAfterKind(draft: Draft, services: WizardServices): Step {
	if (draft.connection?.host !== undefined || !services.profiles) return { kind: 'connection', attempt: 0 };
	return { kind: 'profiles' };
}

/** Questions for the optional stages of this plan that were not answered by flags. */
function questionsFor(draft: Draft, services: WizardServices): OptionQuestion[] {
	const all = services.preview(completeAnswers({ ...draft, skipDatabase: false, skipVolume: false }));
	return optionQuestions(draft.kind ?? 'backup', all, draft);
}

function completeAnswers(draft: Draft): PlanAnswers {
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

function describe(c: ConnectionSettings): string {
	return `${c.user}@${c.host}:${c.port}, domain ${c.domain}`;
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
