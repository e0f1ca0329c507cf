/**
 * The procedure's "Setup" and "Backing up" sections as a listr2 task tree:
 * connect, keys, buckets, store volume, database, manifest. `--dry-run`
 * skips every task with the command it would have run (as np's --preview).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readJournal } from '../archive/journal.js';
import { inspectBackupFolder, prepareBackupFolder, reinstateManifest, removeIfNothingSaved, type FolderState } from '../archive/folder.js';
import { bucketFolder, DATABASE_DUMP, journalPath, STATE_DIR, STORE_TARBALL } from '../archive/layout.js';
import { MANIFEST_FILE, MANIFEST_FORMAT, writeManifest, type BucketEntry, type FileEntry, type Manifest, type ObjectEntry, type PlatformFacts, type StepOutcome } from '../archive/manifest.js';
import type { SettingsEntry } from '../archive/settings-file.js';
import type { Deisctl } from '../cluster/deisctl.js';
import type { RemoteHost } from '../cluster/ssh.js';
import type { GatewayClient } from '../cluster/gateway-client.js';
import { quoteArg } from '../util/shell-quote.js';
import { gatewayEndpointFor } from '../settings.js';
import { messageOf } from '../errors.js';
import { dumpDatabase } from '../steps/database.js';
import { bucketNames, bucketNamesIn, gatewayKeysIn, readGatewayKeys, type BucketChoice } from '../steps/gateway/keys.js';
import { downloadBucket } from '../steps/gateway/download.js';
import { controllerKeysIn } from '../steps/controller.js';
import { readDeisTree, type TreeRead } from '../steps/settings/read.js';
import { saveSettings } from '../steps/settings/save.js';
import { locateComponent } from '../steps/locate.js';
import { backupVolume, type VolumeBackup } from '../steps/volume.js';
import { TOOL } from '../version.js';
import { joinOrConnect } from './connect.js';
import { openGateway } from './open-gateway.js';
import { reporterFor, warnInto, type AnyTask, type RendererChoice } from './hooks.js';
import { previewBackup } from './preview.js';
import { planFolder, runPlan } from './run.js';
import { runStage } from './stage.js';
import type { BackupOptions } from './options.js';
import type { RunSummary, StagePreview } from './types.js';
import { pausePoint } from '../util/pause-point.js';

export type { BackupOptions } from './options.js';

interface BackupContext {
	host?: RemoteHost;
	deisctl?: Deisctl;
	gateway?: GatewayClient;
	buckets?: BucketChoice[];
	previous: Map<string, Map<string, ObjectEntry>>;
	bucketEntries: BucketEntry[];
	volume?: VolumeBackup;
	database?: FileEntry & { host: string };
	steps: StepOutcome[];
	warnings: string[];
	transferred: number;
	gatewaysBefore?: number;
	startedAt: number;
	/** The finished backup this run started from (its manifest is set aside while the run works). */
	finished?: Manifest;
	/** A file that manifest vouches for was replaced: it can no longer be put back. */
	replaced: boolean;
	etcdKeys?: string[];
	/** /deis as read once in the keys stage: the controller's keys and the settings both come from it. */
	tree?: TreeRead;
	settings?: SettingsEntry;
	platform?: PlatformFacts;
	/** This run made the folder (taken away again if nothing is saved). */
	createdFolder?: boolean;
	resumed?: boolean;
	/** --dry-run: what each skipped stage would have run. */
	skipped: StagePreview[];
}

export function runBackup(options: BackupOptions, listrOptions: RendererChoice): Promise<RunSummary> {
	const folder = planFolder(options.answers);
	const ctx: BackupContext = { replaced: false, startedAt: Date.now(), previous: new Map(), bucketEntries: [], steps: [], warnings: [], transferred: 0, skipped: [] };
	return runPlan({
		kind: 'backup',
		folder,
		signal: options.signal,
		dryRun: options.dryRun,
		ctx,
		tasks: backupTasks(options, folder),
		listrOptions,
		finished: (summary) => {
			if (!options.dryRun) summary.manifestPath = join(folder, MANIFEST_FILE);
		},
		failed: async (summary) => {
			if (ctx.finished && !ctx.replaced && !options.signal.aborted) await reinstateManifest(folder).catch(() => undefined);
			// A run that saved nothing (a refused connection, a wrong key) leaves no empty folder behind.
			if (ctx.createdFolder) summary.folderRemoved = await removeIfNothingSaved(folder).catch(() => false);
			const failed = ctx.steps.find((step) => step.outcome === 'failed');
			summary.failedStage = failed?.stage;
			summary.failedStageOptional = failed?.stage === 'volume' || failed?.stage === 'database';
		},
		release: async () => {
			ctx.gateway?.destroy();
			await ctx.host?.close();
		},
		totals: (summary) => {
			summary.objects = ctx.bucketEntries.reduce((sum, bucket) => sum + bucket.objects.length, 0);
			summary.bytes = ctx.bucketEntries.reduce((sum, bucket) => sum + bucket.objects.reduce((s, o) => s + o.size, 0), 0) + (ctx.volume?.size ?? 0) + (ctx.database?.size ?? 0);
			summary.resumed = ctx.resumed;
		},
	});
}

const FOLDER_TITLES: Record<FolderState, (folder: string) => string> = {
	new: (folder) => `Prepare the backup folder ${folder}`,
	unfinished: (folder) => `Resume the unfinished backup in ${folder}`,
	finished: (folder) => `Refresh the backup in ${folder} (only what changed is downloaded)`,
};

/** A stage whose outcome goes into the manifest's steps, done or failed. */
function stage<T>(ctx: BackupContext, id: StepOutcome['stage'], work: () => Promise<T>): Promise<T> {
	pausePoint(`backup ${id}`);
	return runStage(id, {
		done: (stage) => ctx.steps.push({ stage, outcome: 'done' }),
		failed: (stage, error) => ctx.steps.push({ stage, outcome: 'failed', message: messageOf(error) }),
	}, work);
}

function backupTasks(options: BackupOptions, folder: string) {
	const { answers, hooks, signal } = options;
	const preview = previewBackup(answers, { buckets: options.buckets, scaleGateways: options.scaleGateways });
	// np's --preview: the dry run is this plan, each task skipped with the commands it would have run.
	const dry = (ctx: BackupContext, id: string) => {
		if (!options.dryRun) return false;
		const stagePreview = preview.find((s) => s.stage === id);
		if (!stagePreview) return true;
		ctx.skipped.push(stagePreview);
		return stagePreview.commands.join('\n');
	};
	return [
		{
			title: `Prepare the backup folder ${folder}`,
			task: async (ctx: BackupContext, task: AnyTask) => {
				if (options.dryRun) {
					// The same refusals as a run (a file in the way, another cluster's backup), nothing created.
					const { state } = await inspectBackupFolder(folder, answers.connection);
					const command = state === 'new' ? `mkdir -m 700 -p ${quoteArg(folder)}` : `# ${FOLDER_TITLES[state](folder).toLowerCase()}`;
					ctx.skipped.push({ stage: 'connect', title: FOLDER_TITLES[state](folder), commands: [command], optional: false });
					task.skip(command);
					return;
				}
				const { previous: manifest, setAside, created, state } = await prepareBackupFolder(folder, answers.connection);
				ctx.createdFolder = created;
				ctx.resumed = state === 'unfinished';
				task.title = FOLDER_TITLES[state](folder);
				// Only a manifest that was in place when this run began can go back: an earlier stopped run may have replaced files.
				if (setAside) ctx.finished = manifest;
				for (const bucket of manifest?.buckets ?? []) ctx.previous.set(bucket.name, new Map(bucket.objects.map((o) => [o.key, o])));
			},
		},
		{
			title: `Connect to ${answers.connection.user}@${answers.connection.host}:${answers.connection.port}`,
			skip: (ctx: BackupContext) => dry(ctx, 'connect'),
			task: (ctx: BackupContext, task: AnyTask) =>
				stage(ctx, 'connect', async () => {
					Object.assign(ctx, await joinOrConnect(options.connecting, answers.connection, hooks, warnInto(ctx.warnings, task, hooks)));
				}),
		},
		{
			title: 'Read the store gateway keys',
			skip: (ctx: BackupContext) => dry(ctx, 'keys'),
			task: (ctx: BackupContext) =>
				stage(ctx, 'keys', async () => {
					const deisctl = ctx.deisctl as Deisctl;
					// One read of /deis: what the controller has published (so a restore can prove it is back),
					// the settings, and etcd's own copy of the keys and bucket names, which deisctl only reads
					// for us where etcd could not be read or lacks them: one round trip to the host, not three.
					const tree = await readDeisTree(ctx.host as RemoteHost);
					const values = tree.ok ? tree.tree.values : undefined;
					const [keys, buckets] = await Promise.all([
						(values && gatewayKeysIn(values)) ?? readGatewayKeys(deisctl),
						options.buckets ? options.buckets.map((name) => ({ role: 'extra' as const, name })) : values ? bucketNamesIn(values) : bucketNames(deisctl),
					]);
					ctx.buckets = buckets;
					ctx.tree = tree;
					ctx.etcdKeys = tree.ok ? controllerKeysIn([...tree.tree.values.keys(), ...tree.tree.dirs]) : [];
					ctx.gateway = await openGateway(answers.connection, ctx.host as RemoteHost, keys, options.concurrency);
				}),
		},
		{
			title: "Save the platform's own settings from etcd /deis",
			skip: (ctx: BackupContext) => (options.skipSettings ? 'skipped (--skip-settings)' : dry(ctx, 'settings')),
			task: async (ctx: BackupContext, task: AnyTask) => {
				const read = ctx.tree as TreeRead;
				if (!read.ok) {
					// The data is what a backup is for: settings that cannot be read are a warning, not a failed run.
					const message = `platform settings not saved: ${read.reason}`;
					ctx.warnings.push(message);
					ctx.steps.push({ stage: 'settings', outcome: 'warning', message });
					hooks.onWarning?.(task.task.id, message);
					task.title = 'Platform settings not saved (etcd could not be read)';
					return;
				}
				await stage(ctx, 'settings', async () => {
					const { entry, platform, saved } = await saveSettings(ctx.host as RemoteHost, read.tree, folder);
					if (ctx.finished?.settings && ctx.finished.settings.sha256 !== entry.sha256) ctx.replaced = true;
					ctx.settings = entry;
					ctx.platform = platform;
					const unknown = Object.keys(saved.unknown).length;
					task.title = `Saved ${Object.keys(saved.operator).length} platform settings${platform.version ? ` of ${platform.version}` : ''}${unknown ? ` (${unknown} unknown key(s) kept aside, never applied)` : ''}; ${saved.generated.length} generated keys left behind`;
				});
			},
		},
		{
			title: `Download the buckets from ${gatewayEndpointFor(answers.connection)}`,
			skip: (ctx: BackupContext) => dry(ctx, 'buckets'),
			task: (ctx: BackupContext, task: AnyTask) =>
				stage(ctx, 'buckets', async () => {
					await scaleUp(ctx, options);
					try {
						await downloadBuckets(ctx, options, folder, task);
					} finally {
						await scaleBack(ctx);
					}
					const count = ctx.bucketEntries.reduce((sum, b) => sum + b.objects.length, 0);
					task.title = `Downloaded ${ctx.bucketEntries.map((b) => `s3://${b.name}`).join(' and ')}: ${ctx.transferred} downloaded, ${count - ctx.transferred} unchanged`;
				}),
		},
		{
			title: 'Archive the store volume /var/lib/deis/store',
			skip: (ctx: BackupContext) => (answers.skipVolume ? 'skipped (--skip-volume)' : dry(ctx, 'volume')),
			task: (ctx: BackupContext, task: AnyTask) =>
				stage(ctx, 'volume', async () => {
					const volume = await backupVolume(ctx.host as RemoteHost, join(folder, STORE_TARBALL), reporterFor(task, hooks), signal);
					ctx.volume = { ...volume, file: STORE_TARBALL };
					if (ctx.finished?.volume) ctx.replaced = true;
					if (volume.warnings.length > 0) {
						const message = `tar: ${volume.warnings.length} file(s) changed as we read them (live logs); the archive holds a moment in time`;
						warnInto(ctx.warnings, task, hooks)(message);
					}
				}),
		},
		{
			title: 'Dump the database with pg_dumpall',
			skip: (ctx: BackupContext) => (answers.skipDatabase ? 'skipped (--skip-database)' : dry(ctx, 'database')),
			task: (ctx: BackupContext, task: AnyTask) =>
				stage(ctx, 'database', async () => {
					const located = await locateComponent(ctx.host as RemoteHost, ctx.deisctl as Deisctl, 'deis-database');
					try {
						task.title = `Dump the database on ${located.ip} with pg_dumpall`;
						const dump = await dumpDatabase(located.host, join(folder, DATABASE_DUMP), reporterFor(task, hooks), signal);
						ctx.database = { ...dump, file: DATABASE_DUMP, host: located.ip };
						if (ctx.finished?.database) ctx.replaced = true;
					} finally {
						if (located.owned) await located.host.close();
					}
				}),
		},
		{
			title: 'Write manifest.json',
			skip: (ctx: BackupContext) => {
				if (!options.dryRun) return false;
				const write = `# write ${join(folder, MANIFEST_FILE)} listing every object with its sha256`;
				ctx.skipped.push({ stage: 'verify', title: 'Write manifest.json', commands: [write], optional: false });
				return write;
			},
			task: async (ctx: BackupContext) => {
				pausePoint('backup manifest');
				await writeManifest(folder, assembleManifest(ctx, options));
				pausePoint('manifest written');
				// The manifest now holds everything the journals did.
				await rm(join(folder, STATE_DIR), { recursive: true, force: true });
			},
		},
	];
}

/** Each bucket in turn, picking up where the last run's journal of it stopped. */
async function downloadBuckets(ctx: BackupContext, options: BackupOptions, folder: string, task: AnyTask): Promise<void> {
	const gateway = ctx.gateway as GatewayClient;
	for (const { role, name } of ctx.buckets as BucketChoice[]) {
		const previous = await previousObjects(ctx, folder, name);
		task.title = `Download s3://${name}`;
		pausePoint(`download bucket ${name}`);
		const result = await downloadBucket({
			http: gateway.http,
			endpoint: gateway.endpoint,
			bucket: name,
			folder: join(folder, bucketFolder(name)),
			previous,
			journalPath: journalPath(folder, `objects-${name}`),
			concurrency: options.concurrency,
			report: reporterFor(task, options.hooks),
			signal: options.signal,
		});
		ctx.transferred += result.downloaded;
		ctx.bucketEntries.push({ role, name, folder: bucketFolder(name), objects: result.objects });
		if (result.objects.some((object) => previous.has(object.key) && previous.get(object.key)?.sha256 !== object.sha256)) ctx.replaced = true;
	}
}

/** A bucket's objects as the finished backup listed them, updated by the journal of a run that stopped since. */
async function previousObjects(ctx: BackupContext, folder: string, bucket: string): Promise<Map<string, ObjectEntry>> {
	const previous = ctx.previous.get(bucket) ?? new Map<string, ObjectEntry>();
	for (const entry of await readJournal<ObjectEntry>(journalPath(folder, `objects-${bucket}`))) previous.set(entry.key, entry);
	return previous;
}

/** The manifest of a finished run: what each stage did, and every file it vouches for. */
function assembleManifest(ctx: BackupContext, options: BackupOptions): Manifest {
	const { answers } = options;
	if (answers.skipVolume) ctx.steps.push({ stage: 'volume', outcome: 'skipped' });
	if (answers.skipDatabase) ctx.steps.push({ stage: 'database', outcome: 'skipped' });
	if (options.skipSettings) ctx.steps.push({ stage: 'settings', outcome: 'skipped' });
	if (ctx.volume && ctx.volume.warnings.length > 0) {
		const step = ctx.steps.find((s) => s.stage === 'volume');
		if (step) Object.assign(step, { outcome: 'warning', message: ctx.warnings[0] });
	}
	return {
		format: MANIFEST_FORMAT,
		tool: TOOL,
		cluster: {
			domain: answers.connection.domain,
			host: answers.connection.host,
			port: answers.connection.port,
			user: answers.connection.user,
			storeEndpoint: gatewayEndpointFor(answers.connection),
		},
		startedAt: new Date(ctx.startedAt).toISOString(),
		completedAt: new Date().toISOString(),
		buckets: ctx.bucketEntries,
		volume: ctx.volume,
		database: ctx.database,
		etcdKeys: ctx.etcdKeys,
		settings: ctx.settings,
		platform: ctx.platform,
		steps: ctx.steps,
	};
}

async function scaleUp(ctx: BackupContext, options: BackupOptions): Promise<void> {
	if (!options.scaleGateways) return;
	const deisctl = ctx.deisctl as Deisctl;
	const rows = await deisctl.list();
	ctx.gatewaysBefore = Math.max(1, rows.filter((row) => row.unit.startsWith('deis-store-gateway@')).length);
	if (options.scaleGateways > ctx.gatewaysBefore) await deisctl.scale('store-gateway', options.scaleGateways);
	else ctx.gatewaysBefore = undefined;
}

async function scaleBack(ctx: BackupContext): Promise<void> {
	if (ctx.gatewaysBefore === undefined) return;
	try {
		await (ctx.deisctl as Deisctl).scale('store-gateway', ctx.gatewaysBefore);
	} catch (error) {
		ctx.warnings.push(`could not scale store-gateway back to ${ctx.gatewaysBefore}: ${messageOf(error)}`);
	}
}
