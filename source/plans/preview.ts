/**
 * The procedure's commands for each stage, as an operator would type them:
 * shown by the wizard before anything runs, and by --dry-run as what each
 * skipped task of the plan would have run.
 */
import { commands } from '../cluster/commands.js';
import { DEIS_BUCKETS, ROUTER_UNIT, STORE_UNITS } from '../deis.js';
import { quoteCommand } from '../util/shell-quote.js';
import { DEFAULT_SIGNATURE_VERSION, gatewayEndpointFor } from '../settings.js';
import { DEFAULT_BODY_SIZE } from '../validate.js';
import type { PlanAnswers, StagePreview } from './types.js';
import { GATEWAY_KEYS } from '../steps/gateway/keys.js';

function sshPrefix(answers: PlanAnswers): string {
	const c = answers.connection;
	const port = c.port === 22 ? '' : `-p ${c.port} `;
	return `ssh ${port}${c.user}@${c.host}`;
}

function onHost(answers: PlanAnswers, argv: readonly string[]): string {
	return `${sshPrefix(answers)} ${quoteCommand([quoteCommand(argv)])}`;
}

/** s3cmd as it must be told to reach a Deis v1 gateway, which refuses its default SigV4. */
function s3cmd(answers: PlanAnswers): string {
	return (answers.connection.signatureVersion ?? DEFAULT_SIGNATURE_VERSION) === 2 ? 's3cmd --signature-v2' : 's3cmd';
}

/** What else shapes the commands: the same options the run is given, so the preview is the plan. */
export interface PreviewOptions {
	/** Backup: --buckets. Restore: the buckets the backup's manifest holds. */
	buckets?: readonly string[];
	/** Backup: --scale-gateways. */
	scaleGateways?: number;
	/** Restore: --body-size. */
	bodySize?: string;
	/** Restore: --reset-body-size. */
	resetBodySize?: boolean;
}

export function previewBackup(answers: PlanAnswers, options: PreviewOptions = {}): StagePreview[] {
	const endpoint = gatewayEndpointFor(answers.connection);
	const buckets = options.buckets ?? DEIS_BUCKETS.map((bucket) => bucket.fallback);
	const sync = buckets.map((bucket) => `${s3cmd(answers)} sync s3://${bucket} ${quoteCommand([`${answers.folder}/buckets/${bucket}/`])}`);
	// deis/deis#3445: more gateways for the transfer, back to as many as before after it.
	const scaled = options.scaleGateways
		? [onHost(answers, commands.list()), onHost(answers, commands.scale('store-gateway', options.scaleGateways)), ...sync, `# then back: ${sshPrefix(answers)} 'deisctl scale store-gateway=<as many as before>'`]
		: sync;
	const stages: StagePreview[] = [
		{ stage: 'connect', title: `Connect to ${answers.connection.host}:${answers.connection.port}`, commands: [sshPrefix(answers)], optional: false },
		{
			stage: 'keys',
			title: 'Read the store gateway keys',
			commands: [
				`${onHost(answers, commands.etcdTree('/deis'))}  # the keys and bucket names as etcd holds them, read once with the settings`,
				`# where etcd cannot be read: ${onHost(answers, commands.configGet('store', ...GATEWAY_KEYS))}`,
			],
			optional: false,
		},
		{
			stage: 'settings',
			title: "Save the platform's own settings from etcd /deis",
			commands: [`${onHost(answers, commands.etcdTree('/deis'))} > platform-settings.json  # operator keys only; generated ones are left behind`],
			optional: true,
		},
		{
			stage: 'buckets',
			title: `Download the buckets from ${endpoint}`,
			commands: scaled,
			optional: false,
		},
	];
	if (!answers.skipVolume) {
		stages.push({ stage: 'volume', title: 'Archive the store volume /var/lib/deis/store', commands: [`${onHost(answers, commands.tarStore())} > store_file_backup.tar.gz`], optional: true });
	}
	if (!answers.skipDatabase) {
		stages.push({ stage: 'database', title: 'Dump the database with pg_dumpall', commands: [onHost(answers, commands.list()), `${onHost(answers, commands.pgDumpAll())} > dump_all.sql`], optional: true });
	}
	return stages;
}

export function previewRestore(answers: PlanAnswers, options: PreviewOptions = {}): StagePreview[] {
	const buckets = options.buckets ?? DEIS_BUCKETS.map((bucket) => bucket.fallback);
	const stages: StagePreview[] = [
		{ stage: 'connect', title: `Connect to ${answers.connection.host}:${answers.connection.port}`, commands: [sshPrefix(answers)], optional: false },
		{
			stage: 'settings',
			title: 'Re-apply the platform settings saved in the backup, before the platform starts',
			commands: [onHost(answers, commands.etcdTree('/deis')), `${onHost(answers, commands.etcdSet('/deis/COMPONENT/KEY'))} < saved-value  # each chosen key, exactly as stored`],
			optional: true,
		},
		{
			stage: 'platform',
			title: 'Install the platform and start only the store units',
			commands: [commands.install('platform'), ...STORE_UNITS.map((unit) => commands.start(unit))].map((argv) => onHost(answers, argv)),
			optional: false,
		},
		{
			stage: 'router',
			title: 'Start a router and raise its body size',
			commands: [commands.start(ROUTER_UNIT), commands.configGet('router', 'bodySize'), commands.configSet('router', 'bodySize', options.bodySize ?? DEFAULT_BODY_SIZE)].map((argv) => onHost(answers, argv)),
			optional: false,
		},
		{
			stage: 'keys',
			title: "Read the new cluster's gateway keys",
			commands: [onHost(answers, commands.configGet('store', ...GATEWAY_KEYS))],
			optional: false,
		},
		{
			stage: 'buckets',
			title: 'Create the buckets and upload the objects back',
			commands: [...buckets.map((bucket) => `${s3cmd(answers)} mb s3://${bucket}`), ...buckets.map((bucket) => `${s3cmd(answers)} sync ${quoteCommand([`${answers.folder}/buckets/${bucket}/`])} s3://${bucket}`)],
			optional: false,
		},
	];
	if (!answers.skipVolume) {
		stages.push({ stage: 'volume', title: 'Extract the store volume archive', commands: [`${onHost(answers, commands.untarStore())} < store_file_backup.tar.gz`], optional: true });
	}
	stages.push(
		{ stage: 'start', title: 'Start the platform', commands: [onHost(answers, commands.start('platform'))], optional: false },
		{
			stage: 'controller',
			title: 'Make the controller re-write keys, apps, domains, certificates and configs to etcd',
			commands: [onHost(answers, commands.list()), `${onHost(answers, commands.resaveModels('<controller host ip>:4001'))} <<EOF … EOF`],
			optional: false,
		},
		{ stage: 'verify', title: 'Verify the restored objects, volume files and etcd keys', commands: [], optional: false },
	);
	if (options.resetBodySize) {
		stages.push({ stage: 'router', title: 'Put the router body size back', commands: [onHost(answers, commands.configSet('router', 'bodySize', '<the value read before>'))], optional: false });
	}
	return stages;
}
