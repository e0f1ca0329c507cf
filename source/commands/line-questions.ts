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
import { GATEWAY_ROUTE_QUESTION, GATEWAY_ROUTES, GATEWAY_URL_LABEL, optionQuestions, readYesNo, runQuestion, yesNoHint } from '../ui/questions.js';
import type { YesNoQuestion } from '../ui/questions.js';
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
				const found = await services.validateDomain({ ...connection, domain: value.trim() }, kind);
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
				validate: async (value) => validateEndpoint(value.trim()) ?? (await services.validateDomain({ ...settings, storeEndpoint: value.trim() }, kind))?.message ?? true,
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
		const problem = await services.validateConnection(connection);
		if (problem) {
			process.stderr.write(`✖ ${problem}\n`);
			continue;
		}
		const settings = given.domain !== undefined ? { ...connection, domain: given.domain.trim() } : await askDomain(services, kind, connection, start.domain);
		const folder =
			kind === 'backup'
				? (flags.out ?? positionals[0] ?? (await input({ message: 'Backup folder', default: defaultBackupName(settings.domain), validate: async (value) => (await services.validateFolder('backup', value)) ?? true })))
				: resolve(positionals[0] ?? (await input({ message: 'Backup folder to restore', validate: async (value) => (await services.validateFolder('restore', value)) ?? true })));
		const answers: PlanAnswers = {
			kind,
			connection: settings,
			folder,
			skipDatabase: kind === 'restore' || Boolean(flags['skip-database']),
			skipVolume: Boolean(flags['skip-volume']),
			force: Boolean(flags.force),
		};
		if (!flags.yes) {
			// The wizard's questions, from the same definition; flags that were given are not asked again.
			const answered = { ...(kind === 'restore' || flags['skip-database'] ? { skipDatabase: answers.skipDatabase } : {}), ...(flags['skip-volume'] ? { skipVolume: true } : {}), ...(flags.force ? { force: true } : {}) };
			const all = services.preview({ ...answers, skipDatabase: kind === 'restore', skipVolume: false });
			for (const question of optionQuestions(kind, all, answered)) answers[question.flag] = (await askYesNo(question)) === question.yesMeans;
		}
		if (kind === 'restore' && services.settingsPreview && !flags['skip-settings']) answers.settingsChoice = await askSettings(await services.settingsPreview(answers), Boolean(flags.yes));
		printPreview(services.preview(answers));
		if (!flags.yes && !(await askYesNo(runQuestion(answers)))) throw new UserError('Nothing was done.', 0);
		return answers;
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
