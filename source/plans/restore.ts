/**
 * The procedure's "Restoring" and "Finishing up" sections as a listr2 task
 * tree, in its order. Each finished stage is journaled in the backup folder,
 * so running the same restore again resumes where it stopped.
 */
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Journal, readJournal } from '../archive/journal.js';
import { journalPath, STORE_TARBALL } from '../archive/layout.js';
import { readManifest, type Manifest } from '../archive/manifest.js';
import { describeProblem, verifyFolder } from '../archive/verify.js';
import type { Deisctl } from '../cluster/deisctl.js';
import type { RemoteHost } from '../cluster/ssh.js';
import type { GatewayClient } from '../cluster/gateway-client.js';
import { EXIT, UserError } from '../errors.js';
import { listControllerKeys, republishModels } from '../steps/controller.js';
import { verifyBucket } from '../steps/gateway/verify-bucket.js';
import { readGatewayKeys } from '../steps/gateway/keys.js';
import { ensureBucket, uploadBucket, type UploadedObject } from '../steps/gateway/upload.js';
import { partSizeUnder, sizeClass } from '../steps/gateway/size-class.js';
import { writeSettings, planSettings } from '../steps/settings/apply.js';
import { chosenKeys } from '../steps/settings/plan.js';
import { currentBodySize, parseBodySize, raiseBodySize, startPlatform, startRouter, startStore, waitForGateway, waitForUnit } from '../steps/platform.js';
import type { StageId } from '../progress.js';
import { verifyExtracted, restoreVolume } from '../steps/volume.js';
import { joinOrConnect } from './connect.js';
import { openGateway } from './open-gateway.js';
import { reporterFor, warnInto, type AnyTask, type RendererChoice } from './hooks.js';
import { previewRestore } from './preview.js';
import { planFolder, runPlan } from './run.js';
import { runStage, type StageRecord } from './stage.js';
import type { RestoreOptions } from './options.js';
import type { PlanAnswers, RunSummary, StagePreview } from './types.js';
import { pausePoint } from '../util/pause-point.js';

export type { RestoreOptions } from './options.js';

type JournalEntry = { stage: StageId } | { object: UploadedObject } | { bodySize: string };

interface RestoreContext {
	manifest?: Manifest;
	host?: RemoteHost;
	deisctl?: Deisctl;
	gateway?: GatewayClient;
	journal?: Journal<JournalEntry>;
	finished: Set<StageId>;
	uploaded: Map<string, Map<string, UploadedObject>>;
	previousBodySize?: string;
	warnings: string[];
	objects: number;
	bytes: number;
	transferred: number;
	mismatches: string[];
	failed?: StageId;
	/** --dry-run: what each skipped stage would have run. */
	skipped: StagePreview[];
}

export function runRestore(options: RestoreOptions, listrOptions: RendererChoice): Promise<RunSummary> {
	const folder = planFolder(options.answers);
	const ctx: RestoreContext = { finished: new Set(), uploaded: new Map(), warnings: [], objects: 0, bytes: 0, transferred: 0, mismatches: [], skipped: [] };
	return runPlan({
		kind: 'restore',
		folder,
		signal: options.signal,
		dryRun: options.dryRun,
		ctx,
		tasks: restoreTasks(options, folder),
		listrOptions,
		finished: (summary) => {
			if (ctx.mismatches.length === 0) return;
			summary.ok = false;
			summary.error = `The restored cluster does not match the backup in ${ctx.mismatches.length} place(s) (first: ${ctx.mismatches[0]}); run the restore again, then check the gateway.`;
			summary.errorKind = 'mismatch';
			summary.problems = ctx.mismatches;
		},
		failed: (summary) => {
			summary.failedStage = ctx.failed;
			summary.failedStageOptional = ctx.failed === 'volume';
		},
		release: async () => {
			await ctx.journal?.close();
			ctx.gateway?.destroy();
			await ctx.host?.close();
		},
		totals: (summary) => {
			summary.objects = ctx.objects;
			summary.bytes = ctx.bytes;
		},
	});
}

/** One journal per target cluster: restoring the same backup elsewhere starts afresh. */
function restoreJournal(folder: string, answers: PlanAnswers): string {
	const target = createHash('sha256').update(`${answers.connection.host}:${answers.connection.port}/${answers.connection.domain}`).digest('hex').slice(0, 12);
	return journalPath(folder, `restore-${target}`);
}

function restoreTasks(options: RestoreOptions, folder: string) {
	const { answers, hooks, signal } = options;
	// The manifest names the buckets; it is read by the first task, before any stage is skipped.
	const preview = (ctx: RestoreContext) =>
		previewRestore(answers, { buckets: ctx.manifest?.buckets.map((b) => b.name), bodySize: options.bodySize, resetBodySize: options.resetBodySize });
	// np's --preview: the dry run is this plan, each task skipped with the commands it would have run.
	const dry = (ctx: RestoreContext, id: StageId, last = false) => {
		if (!options.dryRun) return false;
		const stages = preview(ctx).filter((s) => s.stage === id);
		const stagePreview = last ? stages.at(-1) : stages[0];
		if (!stagePreview) return true;
		ctx.skipped.push(stagePreview);
		return stagePreview.commands.join('\n') || true;
	};
	/** A stage run every time (connecting, waiting for the gateway, verifying): only a failure is noted. */
	const always = <T>(ctx: RestoreContext, id: StageId, work: () => Promise<T>) => runStage(id, failedInto(ctx), work);
	/** A stage run once: skipped when an earlier run of this restore finished it, journaled when this one does. */
	const once = (ctx: RestoreContext, id: StageId, task: AnyTask, work: () => Promise<void>) => {
		if (ctx.finished.has(id)) {
			task.skip('done by an earlier run of this restore');
			return Promise.resolve();
		}
		pausePoint(`restore ${id}`);
		return runStage(id, { ...failedInto(ctx), done: () => finishedStage(ctx, id) }, work);
	};
	const deisctl = (ctx: RestoreContext) => ctx.deisctl as Deisctl;
	return [
		{
			title: `Read the backup ${folder}`,
			task: async (ctx: RestoreContext, task: AnyTask) => {
				ctx.manifest = await readManifest(folder);
				ctx.objects = ctx.manifest.buckets.reduce((sum, b) => sum + b.objects.length, 0);
				ctx.bytes = ctx.manifest.buckets.reduce((sum, b) => sum + b.objects.reduce((s, o) => s + o.size, 0), 0);
				if (!options.dryRun) {
					const path = restoreJournal(folder, answers);
					if (options.restart) await rm(path, { force: true });
					await replayJournal(ctx, path);
					ctx.journal = await Journal.open(path);
				}
				task.title = `Backup of ${ctx.manifest.cluster.domain} from ${ctx.manifest.completedAt}: ${ctx.objects} objects${ctx.finished.size ? `, resuming (${ctx.finished.size} stages done before; --restart to redo them)` : ''}`;
			},
		},
		{
			// Before anything is written to the cluster: a damaged backup must stop here, not after the platform is installed.
			title: 'Check every file of the backup against its manifest',
			skip: () => (options.skipPreflight ? 'skipped (--skip-preflight)' : false),
			task: async (ctx: RestoreContext, task: AnyTask) => {
				const result = await verifyFolder(folder, ctx.manifest as Manifest, reporterFor(task, hooks));
				if (result.problems.length > 0) {
					throw new UserError(
						`The backup in ${folder} is damaged: ${result.problems.length} of ${result.checked} files do not match its manifest. Nothing was changed on the cluster; restore another backup (or take a new one).`,
						EXIT.mismatch,
						result.problems.map(describeProblem),
					);
				}
				task.title = `Checked ${result.checked} files of the backup against its manifest`;
			},
		},
		{
			title: `Connect to ${answers.connection.user}@${answers.connection.host}:${answers.connection.port}`,
			skip: (ctx: RestoreContext) => dry(ctx, 'connect'),
			task: (ctx: RestoreContext, task: AnyTask) =>
				always(ctx, 'connect', async () => {
					Object.assign(ctx, await joinOrConnect(options.connecting, answers.connection, hooks, warnInto(ctx.warnings, task, hooks), needsS3Client(ctx.manifest, options)));
				}),
		},
		{
			title: 'Re-apply the platform settings saved in the backup',
			skip: (ctx: RestoreContext) =>
				options.skipSettings ? 'skipped (--skip-settings)' : options.dryRun ? dry(ctx, 'settings') : ctx.manifest && !ctx.manifest.settings ? 'the backup holds no platform settings' : false,
			task: (ctx: RestoreContext, task: AnyTask) =>
				once(ctx, 'settings', task, async () => {
					const host = ctx.host as RemoteHost;
					const built = await planSettings(host, folder, ctx.manifest as Manifest, answers.connection.domain);
					if (!built) return;
					const { upgrade, rows } = built.plan;
					// Before the platform is installed: store tuning must be in etcd before the store units first start.
					const keys = chosenKeys(built.plan, answers.settingsChoice);
					hooks.onSettingsPlan?.(built.plan, keys);
					if (upgrade.warning) {
						ctx.warnings.push(upgrade.warning);
						hooks.onWarning?.(task.task.id, upgrade.warning);
					}
					await writeSettings(host, built, keys, reporterFor(task, hooks));
					const count = (status: string) => rows.filter((row) => row.status === status).reduce((sum, row) => sum + (row.count ?? 1), 0);
					const unticked = rows.filter((row) => row.choosable).length - keys.length;
					task.title = `Platform settings: ${keys.length} written, ${count('same')} already set, ${unticked} left out, ${count('never')} never copied (${upgrade.message})`;
				}),
		},
		{
			title: 'Install the platform and start only the store units',
			skip: (ctx: RestoreContext) => (options.skipPlatform ? 'skipped (--skip-platform)' : dry(ctx, 'platform')),
			task: (ctx: RestoreContext, task: AnyTask) => once(ctx, 'platform', task, () => startStore(deisctl(ctx), reporterFor(task, hooks))),
		},
		{
			title: `Start a router and raise its body size to ${options.bodySize}`,
			skip: (ctx: RestoreContext) => (options.skipPlatform ? 'skipped (--skip-platform)' : dry(ctx, 'router')),
			task: (ctx: RestoreContext, task: AnyTask) =>
				once(ctx, 'router', task, async () => {
					await startRouter(deisctl(ctx));
					// The old value is journaled before it is changed: a kill in between must not lose it.
					const previous = ctx.previousBodySize ?? (await currentBodySize(deisctl(ctx)));
					ctx.previousBodySize = previous;
					ctx.journal?.append({ bodySize: previous });
					const changed = await raiseBodySize(deisctl(ctx), previous, options.bodySize);
					pausePoint('bodySize raised');
					task.title = changed ? `Router started; bodySize raised from ${previous} to ${options.bodySize}` : `Router started; bodySize ${previous} is already large enough`;
				}),
		},
		{
			title: "Read the new cluster's gateway keys and wait for the gateway",
			skip: (ctx: RestoreContext) => dry(ctx, 'keys'),
			task: (ctx: RestoreContext, task: AnyTask) =>
				always(ctx, 'keys', async () => {
					pausePoint('restore keys');
					await waitForGateway(
						async () => {
							ctx.gateway?.destroy();
							const keys = await readGatewayKeys(deisctl(ctx));
							ctx.gateway = await openGateway(answers.connection, ctx.host as RemoteHost, keys, options.concurrency);
							await ctx.gateway.http.listBuckets(signal);
						},
						options.gatewayTimeoutMs,
						signal,
					);
					task.title = `Gateway at ${(ctx.gateway as GatewayClient).endpoint} answers with the new keys`;
				}),
		},
		{
			title: 'Create the buckets and upload the objects back',
			skip: (ctx: RestoreContext) => (options.skipBuckets ? 'skipped (--skip-buckets)' : dry(ctx, 'buckets')),
			task: (ctx: RestoreContext, task: AnyTask) =>
				once(ctx, 'buckets', task, async () => {
					await uploadBuckets(ctx, options, folder, task);
					const manifest = ctx.manifest as Manifest;
					task.title = `Uploaded ${manifest.buckets.map((b) => `s3://${b.name}`).join(' and ')}`;
				}),
		},
		{
			title: 'Extract the store volume archive into /var/lib/deis/store',
			skip: (ctx: RestoreContext) => (answers.skipVolume ? 'skipped (--skip-volume)' : options.dryRun ? dry(ctx, 'volume') : ctx.manifest && !ctx.manifest.volume ? 'the backup has no store volume archive' : false),
			task: (ctx: RestoreContext, task: AnyTask) =>
				once(ctx, 'volume', task, async () => {
					const tarball = join(folder, STORE_TARBALL);
					await restoreVolume(ctx.host as RemoteHost, tarball, reporterFor(task, hooks), signal, (ctx.manifest as Manifest).volume?.sha256);
					const problems = await verifyExtracted(ctx.host as RemoteHost, tarball);
					if (problems.length > 0) throw new UserError(`The store volume on ${answers.connection.host} does not match the archive after extraction (${problems.length} file(s); first: ${problems[0]}); run the restore again.`);
				}),
		},
		{
			title: 'Start the platform',
			skip: (ctx: RestoreContext) => (options.skipPlatform ? 'skipped (--skip-platform)' : dry(ctx, 'start')),
			task: (ctx: RestoreContext, task: AnyTask) => once(ctx, 'start', task, () => startPlatform(deisctl(ctx))),
		},
		{
			title: 'Make the controller re-write keys, apps, domains, certificates and configs to etcd',
			skip: (ctx: RestoreContext) => (options.skipController ? 'skipped (--skip-controller)' : dry(ctx, 'controller')),
			task: (ctx: RestoreContext, task: AnyTask) =>
				once(ctx, 'controller', task, async () => {
					await waitForUnit(deisctl(ctx), 'deis-controller', options.gatewayTimeoutMs, signal);
					const { method, ip } = await republishModels(ctx.host as RemoteHost, deisctl(ctx));
					task.title = `Controller on ${ip} re-wrote its data to etcd (${method})`;
				}),
		},
		{
			title: 'Verify the restored objects and etcd keys',
			skip: (ctx: RestoreContext) => {
				if (options.skipVerify) return 'skipped (--skip-verify)';
				if (!options.dryRun) return false;
				const what = '# compare every object with the manifest (size, MD5/sha256) and etcd keys with the backup';
				ctx.skipped.push({ stage: 'verify', title: 'Verify the restored objects and etcd keys', commands: [what], optional: false });
				return what;
			},
			task: (ctx: RestoreContext, task: AnyTask) => always(ctx, 'verify', () => {
				pausePoint('restore verify');
				return verifyRestore(ctx, options, task);
			}),
		},
		{
			title: 'Put the router body size back',
			skip: (ctx: RestoreContext) => {
				if (options.dryRun && options.resetBodySize && !options.skipPlatform) return dry(ctx, 'router', true);
				return options.dryRun || !options.resetBodySize || ctx.previousBodySize === undefined ? 'left as it is (--reset-body-size puts it back)' : false;
			},
			task: async (ctx: RestoreContext, task: AnyTask) => {
				await deisctl(ctx).configSet('router', 'bodySize', ctx.previousBodySize as string);
				task.title = `Router bodySize back to ${ctx.previousBodySize}`;
			},
		},
	];
}

function failedInto(ctx: RestoreContext): StageRecord {
	return { failed: (id) => void (ctx.failed = id) };
}

function finishedStage(ctx: RestoreContext, id: StageId): void {
	ctx.finished.add(id);
	ctx.journal?.append({ stage: id });
}

/** What earlier runs of this restore finished: stages, uploaded objects, and the router's body size before it was raised. */
async function replayJournal(ctx: RestoreContext, path: string): Promise<void> {
	for (const entry of await readJournal<JournalEntry>(path)) {
		if ('stage' in entry) ctx.finished.add(entry.stage);
		if ('bodySize' in entry) ctx.previousBodySize ??= entry.bodySize;
		if ('object' in entry) {
			const map = ctx.uploaded.get(entry.object.bucket) ?? new Map<string, UploadedObject>();
			map.set(entry.object.key, entry.object);
			ctx.uploaded.set(entry.object.bucket, map);
		}
	}
}

/** Under the body size the router was raised to (by this restore or before it). */
function uploadPartSize(bodySize: string): number {
	return partSizeUnder(parseBodySize(bodySize) ?? 1024 ** 2);
}

/** Only an upload in parts needs the S3 client (its create/complete/abort requests). */
function needsS3Client(manifest: Manifest | undefined, options: RestoreOptions): boolean {
	if (!manifest || options.skipBuckets) return false;
	const partSize = uploadPartSize(options.bodySize);
	return manifest.buckets.some((bucket) => bucket.objects.some((object) => sizeClass(object.size, partSize) === 'parts'));
}

/** Each bucket of the backup in turn: created when missing, then every object not unchanged uploaded and journaled. */
async function uploadBuckets(ctx: RestoreContext, options: RestoreOptions, folder: string, task: AnyTask): Promise<void> {
	const gateway = ctx.gateway as GatewayClient;
	const manifest = ctx.manifest as Manifest;
	const partSize = uploadPartSize(options.bodySize);
	for (const bucket of manifest.buckets) {
		task.title = `Upload s3://${bucket.name}`;
		const created = await ensureBucket({ http: gateway.http, endpoint: gateway.endpoint, bucket: bucket.name, signal: options.signal });
		const uploaded = ctx.uploaded.get(bucket.name) ?? new Map<string, UploadedObject>();
		ctx.uploaded.set(bucket.name, uploaded);
		const result = await uploadBucket({
			s3: gateway.s3,
			http: gateway.http,
			endpoint: gateway.endpoint,
			bucket: bucket.name,
			folder: join(folder, bucket.folder),
			objects: bucket.objects,
			uploaded,
			onUploaded: (object) => {
				uploaded.set(object.key, object);
				ctx.journal?.append({ object });
				pausePoint('uploaded');
			},
			force: Boolean(options.answers.force),
			concurrency: options.concurrency,
			partSize,
			report: reporterFor(task, options.hooks),
			signal: options.signal,
		});
		ctx.transferred += result.uploaded;
		if (result.extra > 0) ctx.warnings.push(`s3://${bucket.name} holds ${result.extra} object(s) that are not in the backup; they were left alone`);
		if (result.overwritten > 0) ctx.warnings.push(`s3://${bucket.name}: ${result.overwritten} differing object(s) overwritten (--force)`);
		task.output = `s3://${bucket.name} ${created}: ${result.uploaded} uploaded, ${result.unchanged} unchanged`;
	}
}

async function verifyRestore(ctx: RestoreContext, options: RestoreOptions, task: AnyTask): Promise<void> {
	const manifest = ctx.manifest as Manifest;
	if (!options.skipBuckets) {
		const gateway = ctx.gateway as GatewayClient;
		for (const bucket of manifest.buckets) {
			const problems = await verifyBucket({
				http: gateway.http,
				endpoint: gateway.endpoint,
				bucket: bucket.name,
				objects: bucket.objects,
				uploaded: ctx.uploaded.get(bucket.name) ?? new Map(),
				concurrency: options.concurrency,
				report: reporterFor(task, options.hooks),
				signal: options.signal,
			});
			ctx.mismatches.push(...problems.map((p) => `${p.problem} s3://${p.bucket}/${p.key}`));
		}
	}
	if (!options.skipController && manifest.etcdKeys) {
		const present = new Set(await listControllerKeys(ctx.host as RemoteHost));
		const missing = manifest.etcdKeys.filter((key) => !present.has(key));
		ctx.mismatches.push(...missing.map((key) => `etcd key ${key} missing`));
	}
	task.title = ctx.mismatches.length === 0 ? `Verified ${ctx.objects} objects${manifest.etcdKeys ? ` and ${manifest.etcdKeys.length} etcd keys` : ''}: all match the backup` : `Verification found ${ctx.mismatches.length} difference(s)`;
	if (ctx.mismatches.length > 0) throw new UserError(`The restored cluster does not match the backup in ${ctx.mismatches.length} place(s) (first: ${ctx.mismatches[0]}); run the restore again.`, 3);
}
