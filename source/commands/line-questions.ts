/**
 * `--plain` in a terminal: the wizard's questions one line at a time with
 * @inquirer/prompts, for logs, screen readers and terminals where full-screen
 * redraws misbehave. Answers given as flags are not asked again.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkbox, confirm, input, select } from '@inquirer/prompts';
import type { Flags } from '../cli/args.js';
import { defaultBackupName } from '../archive/layout.js';
import { completeSettings, settingsFromFlags } from '../config/resolve.js';
import { VAGRANT_DEFAULTS, type ConnectionSettings } from '../config/settings.js';
import { applySshConfig } from '../config/ssh-config.js';
import { validateDomainName, validateHost, validatePort, validateUser } from '../config/validate.js';
import { UserError } from '../errors.js';
import type { PlanAnswers, PlanKind, StagePreview } from '../plans/types.js';
import { checkReadableFile, expandHome } from '../ui/validate.js';
import { terminalPassphrase } from './passphrase.js';
import type { SettingsPlan } from '../steps/settings/plan.js';
import { rowText, settingsLines, STATUS_WORD } from '../ui/settings-lines.js';
import { createWizardServices } from './wizard-services.js';

const asValidate = (check: (value: string) => string | undefined) => (value: string) => check(value) ?? true;

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
		const domain =
			given.domain ??
			(await input({
				message: 'Cluster domain (the gateway answers at deis-store.<domain>)',
				default: start.domain,
				validate: async (value) => validateDomainName(value) ?? (await services.validateDomain({ ...connection, domain: value.trim() }, kind)) ?? true,
			}));
		const settings = { ...connection, domain: domain.trim() };
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
		if (kind === 'backup' && !flags['skip-database'] && !flags.yes) {
			answers.skipDatabase = !(await confirm({ message: 'Also save a pg_dumpall text dump of the database?', default: true }));
		}
		if (kind === 'restore' && services.settingsPreview && !flags['skip-settings']) answers.settingsChoice = await askSettings(await services.settingsPreview(answers), Boolean(flags.yes));
		printPreview(services.preview(answers));
		if (!flags.yes) {
			const go = await confirm({ message: kind === 'restore' ? `This writes to the cluster at ${settings.host}. Continue?` : 'Start the backup?', default: kind === 'backup' });
			if (!go) throw new UserError('Nothing was done.', 0);
		}
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
