/**
 * `--plain` in a terminal: the wizard's questions one line at a time with
 * @inquirer/prompts, for logs, screen readers and terminals where full-screen
 * redraws misbehave. Answers given as flags are not asked again.
 */
import { homedir } from 'node:os';
import { checkbox, input, select } from '@inquirer/prompts';
import type { Flags } from '../cli/args.js';
import { settingsFromFlags } from '../config/resolve.js';
import type { ConnectionSettings } from '../settings.js';
import { messageOf, UserError } from '../errors.js';
import type { PlanAnswers, PlanKind, StagePreview } from '../plans/types.js';
import { completeAnswers, flow, startFlow, type Draft, type FlowEvent, type FlowSetup } from '../ui/flow.js';
import { checkAnswer, checkEndpoint, withFallbacks, FIELD_LABELS, hintFor, offeredValue, WHERE_CHOICES, WHERE_LABEL, type FormEvent, type FormProbes, type FormState } from '../ui/connection-flow.js';
import { folderQuestion, GATEWAY_ROUTE_QUESTION, GATEWAY_ROUTES, GATEWAY_URL_LABEL, readYesNo, runQuestion, yesNoHint } from '../ui/questions.js';
import type { OptionQuestion, YesNoQuestion } from '../ui/questions.js';
import type { WizardServices } from '../ui/services.js';
import { checkReadableFile } from '../ui/key-paths.js';
import { terminalPassphrase } from './passphrase.js';
import type { SettingsPlan } from '../steps/settings/plan.js';
import { rowText, settingsLines, STATUS_WORD } from '../ui/settings-lines.js';
import { createWizardServices } from './wizard-services.js';

/** A yes/no question read as the wizard reads it: y or n then Enter, and the word yes for what writes to a cluster. */
async function askYesNo(question: YesNoQuestion): Promise<boolean> {
	const answer = await input({
		message: `${question.label} ${yesNoHint(question)}`,
		validate: (typed) => {
			const reading = readYesNo(typed, question);
			return 'problem' in reading ? reading.problem : true;
		},
	});
	const reading = readYesNo(answer, question);
	return 'value' in reading && reading.value;
}

export async function askAnswers(kind: PlanKind, flags: Flags, positionals: string[]): Promise<PlanAnswers> {
	const services = createWizardServices({ concurrency: 8, askPassphrase: terminalPassphrase() });
	const given = await settingsFromFlags(flags);
	const known = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) as Partial<ConnectionSettings>;
	const folder = kind === 'backup' ? (flags.out ?? positionals[0]) : positionals[0];
	// Flags that were given are answers already: their questions are not asked again.
	const draft: Draft = {
		kind,
		...(Object.keys(known).length > 0 ? { connection: known as ConnectionSettings } : {}),
		...(folder !== undefined ? { folder } : {}),
		...(kind === 'restore' || flags['skip-database'] ? { skipDatabase: kind === 'restore' || Boolean(flags['skip-database']) } : {}),
		...(flags['skip-volume'] ? { skipVolume: true } : {}),
		...(flags.force ? { force: true } : {}),
	};
	return followFlow(services, draft, flags);
}

/**
 * The wizard's own flow (ui/flow.ts and the connection questions in
 * ui/connection-flow.ts) decides what comes next; this face only asks each
 * step's question a line at a time and runs the check the step waits on.
 */
async function followFlow(services: WizardServices, draft: Draft, flags: Flags): Promise<PlanAnswers> {
	const settingsPreview = flags['skip-settings'] ? undefined : services.settingsPreview?.bind(services);
	const home = homedir();
	const setup: FlowSetup = {
		assumeYes: Boolean(flags.yes),
		preview: (answers) => services.preview(answers),
		offersProfiles: false,
		previewsSettings: settingsPreview !== undefined,
		savesProfiles: false,
		form: { homeDir: home, reviewsGiven: false },
	};
	const probes: FormProbes = { identity: (path) => (services.checkIdentity ?? checkReadableFile)(path), domain: (c) => services.checkDomain(c, draft.kind ?? 'backup') };
	let state = startFlow(draft, setup);
	for (;;) {
		const { step } = state;
		let event: FlowEvent;
		switch (step.kind) {
			case 'connection':
				event = { type: 'form', event: await askConnection(step.form, probes) };
				break;
			case 'connecting': {
				const { answers } = step;
				try {
					const connection = await (services.resolveConnection?.(answers) ?? Promise.resolve(withFallbacks(answers)));
					const error = await services.checkConnection(connection);
					event = error ? { type: 'connection-checked', error } : { type: 'connection-checked', connection };
				} catch (thrown) {
					event = { type: 'connection-checked', error: messageOf(thrown) };
				}
				break;
			}
			case 'folder': {
				const current = state.draft;
				const kind = current.kind ?? 'backup';
				if (step.checkGiven) {
					const error = await services.checkFolder(kind, current.folder ?? '').catch(messageOf);
					event = error ? { type: 'given-folder-checked', error } : { type: 'given-folder-checked' };
					break;
				}
				if (step.error) process.stderr.write(`✖ ${step.error}\n`);
				const suggested = current.folder ?? (current.connection ? services.defaultFolder(kind, current.connection) : '');
				const typed = await input({
					message: folderQuestion(kind),
					...(suggested ? { default: suggested } : {}),
					validate: async (value) => (value.trim() === '' ? 'Enter a folder.' : ((await services.checkFolder(kind, value.trim())) ?? true)),
				});
				event = { type: 'folder-chosen', folder: typed.trim() };
				break;
			}
			case 'options': {
				const question = step.questions[0] as OptionQuestion;
				event = { type: 'option-answered', question, yes: await askYesNo(question) };
				break;
			}
			case 'settings': {
				const plan = await (settingsPreview as NonNullable<typeof settingsPreview>)(completeAnswers(state.draft));
				// Nothing to pick (no settings in the backup, or none choosable) is the picker's defaults.
				const choice = plan ? await askSettings(plan, false) : undefined;
				event = choice ? { type: 'settings-chosen', choice } : { type: 'settings-loaded' };
				break;
			}
			case 'confirm': {
				const question = runQuestion(completeAnswers(state.draft));
				event = { type: 'run-answered', label: question.label, yes: await askYesNo(question) };
				break;
			}
			case 'running': {
				const known = completeAnswers(state.draft);
				// Answers taken from the flags alone (--yes) are completed as the plain command completes them.
				const answers = { ...known, connection: await (services.resolveConnection?.(known.connection) ?? Promise.resolve(known.connection)) };
				// --yes skips the settings step; the table is still printed, as the last word on what the restore applies.
				if (setup.assumeYes && answers.kind === 'restore' && settingsPreview) await askSettings(await settingsPreview(answers), true);
				return answers;
			}
			case 'exit':
				throw new UserError('Nothing was done.', 0);
			default:
				throw new Error(`--plain has no question for the wizard's ${step.kind} step`);
		}
		const { state: next, output } = flow(state, event, setup);
		state = next;
		for (const item of output) if (item.kind === 'preview') printPreview(services.preview(item.answers));
	}
}

/**
 * One of the connection questions (ui/connection-flow.ts), asked a line at a
 * time: the same offers, hints and checks as the wizard's form, and the same
 * choice when the gateway cannot be reached by name.
 */
async function askConnection(form: FormState, probes: FormProbes): Promise<FormEvent> {
	const { phase } = form;
	switch (phase.kind) {
		case 'where': {
			const where = await select({ message: WHERE_LABEL, choices: WHERE_CHOICES.map((c) => ({ name: c.label, value: c.value, description: c.hint })) });
			return { type: 'where-chosen', where, label: WHERE_CHOICES.find((c) => c.value === where)?.label ?? where };
		}
		case 'ask': {
			const { field } = phase;
			if (phase.error) process.stderr.write(`✖ ${phase.error}\n`);
			// No answer to edit in place on a line: the current one is offered instead.
			const offered = phase.edit ? form.values[field] || undefined : offeredValue(form, field);
			const hint = hintFor(form, field);
			let unreachable: string | undefined;
			const value = await input({
				message: hint ? `${FIELD_LABELS[field]} (${hint.replace(/\.$/, '')})` : FIELD_LABELS[field],
				...(offered !== undefined ? { default: offered } : {}),
				validate: async (typed) => {
					const verdict = await checkAnswer(form, field, typed, probes);
					unreachable = verdict.unreachable;
					return verdict.problem ?? true;
				},
			});
			if (field === 'domain' && unreachable !== undefined) process.stderr.write(`⚠ ${unreachable}\n`);
			return { type: 'answered', field, value, ...(unreachable !== undefined ? { unreachable } : {}) };
		}
		case 'route': {
			const route = await select({ message: GATEWAY_ROUTE_QUESTION, choices: GATEWAY_ROUTES.map((r) => ({ name: r.label, value: r.value, description: r.hint })) });
			return { type: 'route-chosen', route };
		}
		case 'endpoint': {
			const url = await input({ message: GATEWAY_URL_LABEL, validate: async (value) => (await checkEndpoint(form, value, probes)) ?? true });
			return { type: 'endpoint-answered', url };
		}
		case 'review':
			// --plain does not review: a given answer is an answer.
			return { type: 'accepted' };
		case 'checking': {
			const verdict = await checkAnswer(form, phase.field, form.values[phase.field], probes);
			return { type: 'checked', field: phase.field, ...verdict };
		}
		case 'done':
			throw new Error('the connection questions are answered');
	}
}

/** The wizard's settings picker, one line at a time: the table, then a checklist of what may be applied. */
async function askSettings(plan: SettingsPlan | undefined, yes: boolean): Promise<Record<string, boolean> | undefined> {
	if (!plan) return undefined;
	for (const line of settingsLines(plan)) process.stderr.write(`${line}\n`);
	if (plan.upgrade.warning) process.stderr.write(`warning: ${plan.upgrade.warning}\n`);
	const rows = plan.rows.filter((row) => row.choosable);
	if (yes || rows.length === 0) return undefined;
	const ticked = new Set(
		await checkbox({
			message: 'Platform settings to apply to the new cluster (Space ticks, Enter applies)',
			choices: rows.map((row) => ({ name: `${STATUS_WORD[row.status]}: ${rowText(row)}`, value: row.key, checked: row.chosen })),
			pageSize: 15,
		}),
	);
	return Object.fromEntries(rows.filter((row) => ticked.has(row.key) !== row.chosen).map((row) => [row.key, ticked.has(row.key)]));
}

function printPreview(stages: StagePreview[]): void {
	stages.forEach((stage, index) => {
		process.stderr.write(`${index + 1}. ${stage.title}${stage.optional ? ' (optional)' : ''}\n`);
		for (const command of stage.commands) process.stderr.write(`     $ ${command}\n`);
	});
}
