/**
 * `--plain` in a terminal: the wizard's questions one line at a time with
 * @inquirer/prompts, for logs, screen readers and terminals where full-screen
 * redraws misbehave. Answers given as flags are not asked again.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkbox, input, select } from '@inquirer/prompts';
import type { Flags } from '../cli/args.js';
import { defaultBackupName } from '../archive/layout.js';
import { completeSettings, settingsFromFlags } from '../config/resolve.js';
import { VAGRANT_DEFAULTS, type ConnectionSettings } from '../settings.js';
import { applySshConfig } from '../config/ssh-config.js';
import { validateDomainName, validateEndpoint, validateHost, validatePort, validateUser } from '../validate.js';
import { UserError } from '../errors.js';
import type { PlanAnswers, PlanKind, StagePreview } from '../plans/types.js';
import { completeAnswers, flow, type Draft, type FlowEvent, type FlowSetup, type FlowState } from '../ui/flow.js';
import { GATEWAY_ROUTE_QUESTION, GATEWAY_ROUTES, GATEWAY_URL_LABEL, readYesNo, runQuestion, yesNoHint } from '../ui/questions.js';
import type { OptionQuestion, YesNoQuestion } from '../ui/questions.js';
import type { WizardServices } from '../ui/services.js';
import { checkReadableFile, expandHome } from '../ui/key-paths.js';
import { terminalPassphrase } from './passphrase.js';
import type { SettingsPlan } from '../steps/settings/plan.js';
import { rowText, settingsLines, STATUS_WORD } from '../ui/settings-lines.js';
import { createWizardServices } from './wizard-services.js';

const asValidate = (check: (value: string) => string | undefined) => (value: string) => check(value) ?? true;

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

/**
 * The domain, checked as the wizard checks it; when deis-store.<domain> cannot
 * be reached by name, the same choice of the SSH tunnel or a gateway URL.
 */
async function askDomain(services: WizardServices, kind: PlanKind, connection: ConnectionSettings, start?: string): Promise<ConnectionSettings> {
	for (;;) {
		let unreachable: string | undefined;
		const typed = await input({
			message: 'Cluster domain (the gateway answers at deis-store.<domain>)',
			default: start,
			validate: async (value) => {
				const problem = validateDomainName(value);
				if (problem) return problem;
				const found = await services.checkDomain({ ...connection, domain: value.trim() }, kind);
				unreachable = found?.offerRoutes ? found.message : undefined;
				return found && !found.offerRoutes ? found.message : true;
			},
		});
		const settings = { ...connection, domain: typed.trim().replace(/\.$/, '') };
		if (unreachable === undefined) return settings;
		process.stderr.write(`⚠ ${unreachable}\n`);
		const route = await select({ message: GATEWAY_ROUTE_QUESTION, choices: GATEWAY_ROUTES.map((r) => ({ name: r.label, value: r.value, description: r.hint })) });
		if (route === 'tunnel') return { ...settings, tunnel: true };
		if (route === 'endpoint') {
			const url = await input({
				message: GATEWAY_URL_LABEL,
				validate: async (value) => validateEndpoint(value.trim()) ?? (await services.checkDomain({ ...settings, storeEndpoint: value.trim() }, kind))?.message ?? true,
			});
			return { ...settings, storeEndpoint: url.trim() };
		}
		start = settings.domain;
	}
}

export async function askAnswers(kind: PlanKind, flags: Flags, positionals: string[]): Promise<PlanAnswers> {
	const services = createWizardServices({ concurrency: 8, askPassphrase: terminalPassphrase() });
	const given = await settingsFromFlags(flags);
	const home = homedir();
	let preset: Partial<ConnectionSettings> = {};
	if (!given.host) {
		const where = await select({
			message: 'Where does the cluster run?',
			choices: [
				{ name: 'Vagrant on this machine (127.0.0.1, port 2222)', value: 'vagrant' },
				{ name: 'Another host', value: 'other' },
			],
		});
		if (where === 'vagrant') preset = { ...VAGRANT_DEFAULTS, identity: join(home, VAGRANT_DEFAULTS.identityFromHome) };
	}
	const start = { ...preset, ...given };
	for (;;) {
		const host = given.host ?? (await input({ message: 'Host name or IP of a CoreOS machine', default: start.host, validate: asValidate(validateHost) }));
		const port = given.port ?? Number(await input({ message: 'SSH port', default: String(start.port ?? 22), validate: asValidate(validatePort) }));
		const user = given.user ?? (await input({ message: 'SSH user', default: start.user ?? 'core', validate: asValidate(validateUser) }));
		const defaultKey = start.identity ?? [join(home, '.ssh', 'id_ed25519'), join(home, '.ssh', 'id_rsa')].find((path) => existsSync(path));
		const identityAnswer =
			given.identity ??
			(await input({
				message: 'SSH private key (empty: the SSH agent, then the ssh config\'s or the default keys)',
				default: defaultKey,
				validate: async (value) => (value.trim() === '' ? true : ((await checkReadableFile(expandHome(value.trim(), home))) ?? true)),
			}));
		const identity = identityAnswer.trim() === '' ? undefined : expandHome(identityAnswer.trim(), home);
		// A typed host may be an ssh_config alias; settings resolved for another host no longer apply.
		const connection: ConnectionSettings = completeSettings(await applySshConfig({ ...given, host, port, user, identity, domain: given.domain ?? start.domain ?? 'pending.invalid' }));
		const problem = await services.checkConnection(connection);
		if (problem) {
			process.stderr.write(`✖ ${problem}\n`);
			continue;
		}
		const settings = given.domain !== undefined ? { ...connection, domain: given.domain.trim() } : await askDomain(services, kind, connection, start.domain);
		const folder =
			kind === 'backup'
				? (flags.out ?? positionals[0] ?? (await input({ message: 'Backup folder', default: defaultBackupName(settings.domain), validate: async (value) => (await services.checkFolder('backup', value)) ?? true })))
				: resolve(positionals[0] ?? (await input({ message: 'Backup folder to restore', validate: async (value) => (await services.checkFolder('restore', value)) ?? true })));
		// Flags that were given are answers already: their questions are not asked again.
		const draft: Draft = {
			kind,
			connection: settings,
			...(kind === 'restore' || flags['skip-database'] ? { skipDatabase: kind === 'restore' || Boolean(flags['skip-database']) } : {}),
			...(flags['skip-volume'] ? { skipVolume: true } : {}),
			...(flags.force ? { force: true } : {}),
		};
		return followFlow(services, draft, folder, flags);
	}
}

/**
 * From the folder on, the wizard's own flow (ui/flow.ts) decides what comes
 * next; this face only asks each step's question a line at a time.
 */
async function followFlow(services: WizardServices, draft: Draft, folder: string, flags: Flags): Promise<PlanAnswers> {
	const settingsPreview = flags['skip-settings'] ? undefined : services.settingsPreview?.bind(services);
	const setup: FlowSetup = { assumeYes: Boolean(flags.yes), preview: (answers) => services.preview(answers), offersProfiles: false, previewsSettings: settingsPreview !== undefined, savesProfiles: false };
	// --yes skips the settings step; the table is still printed, as the last word on what the restore applies.
	if (setup.assumeYes && draft.kind === 'restore' && settingsPreview) await askSettings(await settingsPreview(completeAnswers({ ...draft, folder })), true);
	let state: FlowState = { step: { kind: 'folder', checkGiven: false }, draft };
	let event: FlowEvent = { type: 'folder-chosen', folder };
	for (;;) {
		const { state: next, output } = flow(state, event, setup);
		state = next;
		for (const item of output) if (item.kind === 'preview') printPreview(services.preview(item.answers));
		const { step } = state;
		switch (step.kind) {
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
			case 'running':
				return completeAnswers(state.draft);
			case 'exit':
				throw new UserError('Nothing was done.', 0);
			default:
				throw new Error(`--plain has no question for the wizard's ${step.kind} step`);
		}
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
