/**
 * The side-by-side benchmark of issue 17 (run through bench/run.sh, which
 * installs the peers, builds and brings up or reuses the cluster):
 *
 *   data sets (a)-(d), download (backup) and upload (restore), deis-backup
 *   vs s3cmd and rclone (defaults, and 16 transfers/checkers) configured for
 *   a Deis v1 gateway (signature v2), through the router, plus the gateway's
 *   own ceiling; the volume tarball vs OpenSSH; start-up and fixed cost. The
 *   AWS CLI v2 cannot sign v2: it is probed once, not timed.
 *
 * Tools are interleaved within each run (the order rotates from run to run)
 * so that drift on a shared machine hits all of them alike; medians of
 * BENCH_RUNS runs (3). BENCH_QUICK=1 shrinks every set about tenfold.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEISCTL_INSTALLED } from '../source/deis.js';
import { dataSets, type DataSet } from './lib/data.js';
import { CLUSTER_DIR, GiB, MiB, QUICK, readClusterEnv, ROOT, RUNS, type ClusterEnv } from './lib/env.js';
import { collectGarbage, countObjects, createBucket, directClient, listBuckets, osdUsage, removeBucket, seedBucket } from './lib/gateway.js';
import { median, RequestCounter, tail, timed, type Sample } from './lib/measure.js';
import { OURS, renderTable, renderTargets, resyncTargets, rssTarget, timeTarget, transferTarget, type Row, type Table, type Target } from './lib/report.js';
import { FIRST_SCREEN, medianFirstFrame } from './lib/startup.js';
import { writeVolumeData } from './lib/volume-data.js';
import { awsProbe, CLI, connectionFlags, makeTools, RCLONE_IDS, type Command } from './lib/tools.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const run = promisify(execFile);
const benchStarted = Date.now();
const env: ClusterEnv = readClusterEnv();
const scratch = mkdtempSync('/tmp/deis-bench.');
const logDir = join(scratch, 'logs');
mkdirSync(logDir, { recursive: true });
const tools = makeTools(env, scratch, process.env.BENCH_CONCURRENCY ? Number(process.env.BENCH_CONCURRENCY) : undefined);
const s3 = directClient(env);
const counter = new RequestCounter(env.files.routerAccessLog);
const tables: Table[] = [];
const targets: Target[] = [];
const notes: string[] = [];
const childEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: join(scratch, 'home'), LANG: 'C.UTF-8', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', BENCH_QUICK: QUICK ? '1' : '0' };
const STORE_DATA = join(env.storeDir, 'bench-data');

const log = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

// ---------------------------------------------------------------- the cluster

/** Who else uses the cluster: test/cluster's makeSource/makeFresh reset it (and purge the bench's buckets with the user). */
function clusterEpoch(): string {
	// makeSource/makeFresh rewrite the mode file (same content or not) and purge the source user's buckets.
	const modeFile = join(CLUSTER_DIR, 'mode');
	const mode = existsSync(modeFile) ? `${readFileSync(modeFile, 'utf8').trim()}@${statSync(modeFile).mtimeMs}` : 'none';
	return `${statSync(join(CLUSTER_DIR, 'env.json')).mtimeMs}|${mode}`;
}
const epoch = clusterEpoch();
function assertClusterUnchanged(where: string): void {
	if (clusterEpoch() !== epoch) {
		throw new Error(`the test cluster was reset by someone else during ${where} (.cluster/env.json or .cluster/mode changed: a test run?); its results would be meaningless: run the bench again when the cluster is quiet`);
	}
}

function ssh(command: string): Promise<{ stdout: string; stderr: string }> {
	return run('ssh', ['-p', String(env.port), '-i', env.identity, '-o', `UserKnownHostsFile=${env.knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', `${env.user}@${env.host}`, command]);
}

let previousBodySize: string | undefined | null = null; // null: not changed
async function raiseBodySize(): Promise<void> {
	try {
		previousBodySize = (await ssh(`${DEISCTL_INSTALLED} config router get bodySize`)).stdout.trim();
	} catch {
		previousBodySize = undefined;
	}
	await ssh(`${DEISCTL_INSTALLED} config router set bodySize=2048m`);
	log(`router bodySize ${previousBodySize ?? '(unset: 1m)'} -> 2048m for the upload runs`);
}
async function restoreBodySize(): Promise<void> {
	if (previousBodySize === null) return;
	if (previousBodySize === undefined) await ssh(`${DEISCTL_INSTALLED} config router rm bodySize`);
	else await ssh(`${DEISCTL_INSTALLED} config router set bodySize=${previousBodySize}`);
	log(`router bodySize back to ${previousBodySize ?? '(unset)'}`);
	previousBodySize = null;
}

async function removeBenchBuckets(): Promise<void> {
	for (const bucket of (await listBuckets()).filter((b) => b.startsWith('bench-'))) await removeBucket(bucket);
}

/** Refuses to seed what the memstore OSD cannot hold (a full OSD blocks every writer on the cluster). */
async function assertFits(bytes: number, what: string): Promise<void> {
	// Objects deleted through S3 (or purged with their user) wait two hours for RGW's GC: free them now.
	await collectGarbage();
	// The OSD's own statistics lag its frees: after a 1 GiB bucket was removed they were seen to
	// still count it several seconds later (and then drop). Ask again for a while before refusing.
	const asked = Date.now();
	const deadline = asked + 60_000;
	for (;;) {
		const { used, total } = await osdUsage();
		// Ceph stops writes at 95 % full; keep clear of the 85 % near-full mark.
		if (used + bytes * 1.05 <= total * 0.85) {
			if (Date.now() - asked > 1000) log(`  the memstore OSD counted the frees after ${seconds(Date.now() - asked)}: ${(used / MiB).toFixed(0)} of ${(total / MiB).toFixed(0)} MiB used`);
			return;
		}
		if (Date.now() > deadline) {
			throw new Error(`${what} (${(bytes / MiB).toFixed(0)} MiB) does not fit the memstore OSD: ${(used / MiB).toFixed(0)} of ${(total / MiB).toFixed(0)} MiB used`);
		}
		await new Promise((resolvePromise) => setTimeout(resolvePromise, 1000));
	}
}

async function memstore(): Promise<string> {
	const { used, total } = await osdUsage();
	return `memstore OSD ${(used / MiB).toFixed(0)} of ${(total / MiB).toFixed(0)} MiB used`;
}

// ---------------------------------------------------------------- measuring

interface Entrant {
	tool: string;
	ceiling?: boolean;
	command: () => Command;
	prepare?: () => Promise<void> | void;
	/** A reason the run does not count (incomplete result, objects moved on a no-change re-sync...). */
	check?: (sample: Sample, byMethod: Record<string, number>) => Promise<string | undefined> | string | undefined;
	after?: () => Promise<void> | void;
}

/**
 * A download's earlier output is moved aside, not deleted, until the set's
 * downloads are done. This machine's root file system is ext4 without a
 * journal, whose inode allocator skips, one lookup each, every inode freed in
 * the last 60-360 s (ialloc.c, recently_deleted). Deleting 2,000 files right
 * before the next tool creates 2,000 made each create cost ~0.1-0.5 ms of
 * kernel time instead of ~0.02 ms (2,000 creates: 41 ms in a quiet area of the
 * disk, 1.0 s in /tmp after bench runs; perf: find_inode_bit → recently_deleted):
 * a cost of the bench's own clean-up that a backup machine never sees, paid by
 * every tool that writes files and never by the ceiling.
 */
const asideDir = join(scratch, 'aside');
const MANY_FILES = 1000;
let asideCount = 0;
function setAside(dir: string): void {
	if (!existsSync(dir)) return;
	mkdirSync(asideDir, { recursive: true });
	renameSync(dir, join(asideDir, String(asideCount++)));
}
function removeAside(): void {
	rmSync(asideDir, { recursive: true, force: true });
}

function syncDisks(): void {
	// The previous tool's dirty pages are written out before the next one starts.
	execFileSync('sync');
}

async function measure(table: Table, entrants: Entrant[], label: string): Promise<void> {
	const rows = new Map<string, Row>();
	for (const e of entrants) {
		const row: Row = { tool: e.tool, samples: [], failures: [], ceiling: e.ceiling };
		rows.set(e.tool, row);
		table.rows.push(row);
	}
	for (let r = 0; r < RUNS; r++) {
		const order = entrants.map((_, i) => entrants[(i + r) % entrants.length] as Entrant);
		for (const e of order) {
			// The ceiling runs every round too, and its median is the reference: a single run of it moved
			// the (c) download's share of the ceiling from 0.82 to 0.99 between two full runs of one day.
			const row = rows.get(e.tool) as Row;
			assertClusterUnchanged(label);
			await e.prepare?.();
			syncDisks();
			const command = e.command();
			counter.mark();
			const sample: Sample & { log: string } = await timed(command.argv, command.env, logDir, `${label}-${e.tool}-run${r + 1}`, ROOT);
			const requests = counter.count();
			sample.requests = requests.total;
			let problem: string | undefined;
			if (sample.code !== 0) problem = `exit ${sample.code}: ${tail(sample.log, 600).trim().split('\n').slice(-4).join(' | ')} (log ${sample.log})`;
			if (!problem && e.ceiling) {
				const report = /\{"ceiling":.*\}/.exec(readFileSync(sample.log, 'utf8'))?.[0];
				if (report) sample.wallMs = (JSON.parse(report) as { ceiling: { ms: number } }).ceiling.ms;
				else problem = `no report in ${sample.log}`;
			}
			if (!problem) problem = await e.check?.(sample, requests.byMethod);
			if (problem) row.failures.push(`run ${r + 1}: ${problem}`);
			else row.samples.push(sample);
			log(`  ${label} run ${r + 1}/${RUNS} ${e.tool.padEnd(11)} ${problem ? `FAILED ${problem}` : `${seconds(sample.wallMs).padStart(9)}  ${(sample.rssBytes / MiB).toFixed(0).padStart(4)} MB  ${String(requests.total).padStart(6)} req`}`);
			await e.after?.();
		}
	}
	assertClusterUnchanged(label);
}

/** Files and bytes under a folder (the bench's check that a download is complete). */
function tree(dir: string, skip = new Set<string>()): { files: number; bytes: number } {
	let files = 0;
	let bytes = 0;
	const walk = (at: string) => {
		for (const entry of readdirSync(at, { withFileTypes: true })) {
			if (skip.has(entry.name)) continue;
			const path = join(at, entry.name);
			if (entry.isDirectory()) walk(path);
			else if (entry.isFile()) {
				files++;
				bytes += statSync(path).size;
			}
		}
	};
	if (existsSync(dir)) walk(dir);
	return { files, bytes };
}

function expectTree(dir: string, set: DataSet): string | undefined {
	const found = tree(dir);
	return found.files === set.objects.length && found.bytes === set.bytes ? undefined : `${dir} holds ${found.files} files, ${found.bytes} bytes; expected ${set.objects.length}, ${set.bytes}`;
}

async function expectBucket(bucket: string, set: DataSet): Promise<string | undefined> {
	const found = await countObjects(s3, bucket);
	return found.count === set.objects.length && found.bytes === set.bytes ? undefined : `s3://${bucket} holds ${found.count} objects, ${found.bytes} bytes; expected ${set.objects.length}, ${set.bytes}`;
}

const ceilingCommand = (op: string, set: DataSet, bucket: string): Command => ({ argv: ['node', '--import', 'tsx', join(ROOT, 'bench/ceiling.ts'), op, set.id, bucket], env: childEnv });
const peerFolder = (set: DataSet, tool: string) => join(scratch, `${set.id}-down`, tool);
const oursBucketFolder = (backupDir: string, bucket: string) => join(backupDir, 'buckets', bucket);

// ---------------------------------------------------------------- data sets

/** (a), (b), (c): a fresh download into an empty folder, then an upload into an empty bucket. */
async function transferSet(set: DataSet): Promise<void> {
	log(`\n== ${set.title}: ${set.objects.length} objects, ${(set.bytes / 1e6).toFixed(1)} MB`);
	await assertFits(set.bytes, set.title);
	let started = Date.now();
	await seedBucket(s3, set.bucket, set.objects);
	log(`  seeded s3://${set.bucket} straight into the gateway in ${seconds(Date.now() - started)}`);
	assertClusterUnchanged(`seeding ${set.bucket}`);

	const down: Table = { key: `${set.id} download`, title: `${set.title} — download (backup)`, objects: set.objects.length, bytes: set.bytes, rows: [] };
	const entrants: Entrant[] = tools.map((tool) => {
		const dir = peerFolder(set, tool.id);
		const result = tool.id === OURS ? oursBucketFolder(dir, set.bucket) : dir;
		return {
			tool: tool.id,
			// Sets of many files only: a few large files free few inodes, and 12 GB kept aside would crowd the page cache.
			prepare: () => (set.objects.length >= MANY_FILES ? setAside(dir) : rmSync(dir, { recursive: true, force: true })),
			command: () => tool.download(set.bucket, dir),
			check: () => expectTree(result, set),
		};
	});
	entrants.push({ tool: 'ceiling', ceiling: true, command: () => ceilingCommand('get', set, set.bucket) });
	await measure(down, entrants, `${set.id}-down`);
	removeAside();
	tables.push(down);
	log(renderTable(down));

	// The upload source: our last backup, its bucket renamed to the upload target.
	const target = `${set.bucket}-up`;
	const restoreDir = join(scratch, `${set.id}-up`);
	const ourDown = peerFolder(set, OURS);
	const manifest = JSON.parse(readFileSync(join(ourDown, 'manifest.json'), 'utf8')) as { buckets: Array<{ name: string; folder: string }> };
	for (const bucket of manifest.buckets) {
		bucket.name = target;
		bucket.folder = `buckets/${target}`;
	}
	mkdirSync(join(restoreDir, 'buckets'), { recursive: true });
	renameSync(oursBucketFolder(ourDown, set.bucket), join(restoreDir, 'buckets', target));
	writeFileSync(join(restoreDir, 'manifest.json'), `${JSON.stringify(manifest, null, '\t')}\n`);
	const source = join(restoreDir, 'buckets', target);
	rmSync(join(scratch, `${set.id}-down`), { recursive: true, force: true });
	started = Date.now();
	await removeBucket(set.bucket);
	log(`  removed s3://${set.bucket} in ${seconds(Date.now() - started)}; ${await memstore()}`);

	const up: Table = { key: `${set.id} upload`, title: `${set.title} — upload (restore)`, objects: set.objects.length, bytes: set.bytes, rows: [] };
	const emptyTarget = async () => {
		await removeBucket(target);
		await createBucket(s3, target);
	};
	const upEntrants: Entrant[] = tools.map((tool) => ({
		tool: tool.id,
		prepare: async () => {
			await emptyTarget();
			rmSync(join(restoreDir, '.deis-backup'), { recursive: true, force: true });
		},
		command: () => (tool.id === OURS ? tool.upload(restoreDir, target) : tool.upload(source, target)),
		check: () => expectBucket(target, set),
	}));
	upEntrants.push({ tool: 'ceiling', ceiling: true, prepare: emptyTarget, command: () => ceilingCommand('put', set, target), check: () => expectBucket(target, set) });
	await measure(up, upEntrants, `${set.id}-up`);
	tables.push(up);
	log(renderTable(up));
	await removeBucket(target);
	rmSync(restoreDir, { recursive: true, force: true });
	log(`  removed s3://${target}; ${await memstore()}`);

	targets.push(transferTarget(down), transferTarget(up));
	// Large objects are where a client could buffer; small ones never come near the limit.
	if (set.id === 'b' || set.id === 'c') targets.push(rssTarget(down, 150), rssTarget(up, 150));
}

/** rclone's modification-time metadata, so every tool finds the uploaded copy current (see README). */
const RESYNC_MTIME = 1_441_756_800;

/** (d): each tool downloads the bucket once (untimed), then re-syncs with nothing changed, both ways. */
async function resyncSet(set: DataSet): Promise<void> {
	log(`\n== ${set.title}: ${set.objects.length} objects, ${(set.bytes / 1e6).toFixed(1)} MB`);
	await assertFits(set.bytes, set.title);
	let started = Date.now();
	await seedBucket(s3, set.bucket, set.objects, { mtime: `${RESYNC_MTIME}.000000000` });
	log(`  seeded s3://${set.bucket} straight into the gateway in ${seconds(Date.now() - started)}`);

	// The initial full syncs run all at once (they are not compared: the time budget).
	started = Date.now();
	const initial = await Promise.all(
		tools.map(async (tool) => {
			const dir = peerFolder(set, tool.id);
			const command = tool.download(set.bucket, dir);
			const sample = await timed(command.argv, command.env, logDir, `${set.id}-initial-${tool.id}`, ROOT);
			const problem = sample.code !== 0 ? `exit ${sample.code} (log ${sample.log})` : expectTree(tool.id === OURS ? oursBucketFolder(dir, set.bucket) : dir, set);
			if (problem) throw new Error(`the initial full sync of ${tool.id} failed: ${problem}`);
			return `${tool.id} ${seconds(sample.wallMs)}`;
		}),
	);
	syncDisks();
	log(`  initial full syncs (untimed, all ${tools.length} at once) done in ${seconds(Date.now() - started)}: ${initial.join(', ')}`);
	notes.push(`(d) initial full download of ${set.objects.length} objects, the ${tools.length} tools at once (not a comparison): ${initial.join('; ')}`);
	assertClusterUnchanged('the initial syncs');

	const down: Table = { key: `${set.id} download`, title: `${set.title} — download (backup)`, objects: set.objects.length, bytes: set.bytes, rows: [] };
	const entrants: Entrant[] = tools.map((tool) => {
		const dir = peerFolder(set, tool.id);
		return {
			tool: tool.id,
			command: () => tool.download(set.bucket, dir),
			check: () => transfers('GET', set.bucket),
		};
	});
	entrants.push({ tool: 'ceiling', ceiling: true, command: () => ceilingCommand('list', set, set.bucket) });
	await measure(down, entrants, `${set.id}-down`);
	tables.push(down);
	log(renderTable(down));

	// Upload: every tool syncs the same folder (our backup's) into the seeded bucket, which holds the same content.
	const backupDir = peerFolder(set, OURS);
	const source = oursBucketFolder(backupDir, set.bucket);
	for (const object of set.objects) utimesSync(join(source, object.key), RESYNC_MTIME, RESYNC_MTIME);
	for (const tool of tools) if (tool.id !== OURS) rmSync(peerFolder(set, tool.id), { recursive: true, force: true });
	const up: Table = { key: `${set.id} upload`, title: `${set.title} — upload (restore)`, objects: set.objects.length, bytes: set.bytes, rows: [] };
	const upEntrants: Entrant[] = tools.map((tool) => ({
		tool: tool.id,
		prepare: () => rmSync(join(backupDir, '.deis-backup'), { recursive: true, force: true }),
		command: () => (tool.id === OURS ? tool.upload(backupDir, set.bucket) : tool.upload(source, set.bucket)),
		check: () => transfers('PUT', set.bucket),
	}));
	upEntrants.push({ tool: 'ceiling', ceiling: true, command: () => ceilingCommand('list', set, set.bucket) });
	await measure(up, upEntrants, `${set.id}-up`);
	tables.push(up);
	log(renderTable(up));
	started = Date.now();
	await removeBucket(set.bucket);
	log(`  removed s3://${set.bucket} in ${seconds(Date.now() - started)}`);
	rmSync(join(scratch, `${set.id}-down`), { recursive: true, force: true });
	targets.push(...resyncTargets(down, RCLONE_IDS), ...resyncTargets(up, RCLONE_IDS));
}

/** Object requests (method on bucket/key) the router saw since the last mark: a no-change re-sync makes none. */
function transfers(method: string, bucket: string): string | undefined {
	const n = counter.objectRequests(method, bucket);
	return n > 0 ? `${n} object ${method}s on a no-change re-sync` : undefined;
}

// ---------------------------------------------------------------- volume tarball

async function tarball(): Promise<void> {
	const total = QUICK ? 50_000_000 : 500_000_000;
	log(`\n== volume tarball: ${(total / 1e6).toFixed(0)} MB of log-like text in ${STORE_DATA}`);
	if (existsSync(STORE_DATA)) rmSync(STORE_DATA, { recursive: true, force: true });
	let started = Date.now();
	const files = await writeVolumeData(STORE_DATA, total);
	execFileSync('sync');
	const store = tree(env.storeDir);
	log(`  wrote ${files} files in ${seconds(Date.now() - started)}; the store holds ${store.files} files, ${(store.bytes / 1e6).toFixed(1)} MB`);
	const emptyBucket = 'bench-empty';
	await removeBucket(emptyBucket);
	await createBucket(s3, emptyBucket);
	const table: Table = { key: 'tarball', title: 'volume tarball (tar czf over SSH)', objects: store.files, bytes: store.bytes, rows: [] };
	const ourDir = join(scratch, 'tar-ours');
	const theirFile = join(scratch, 'tar-openssh.tar.gz');
	const sshCommand = `ssh -p ${env.port} -i ${env.identity} -o UserKnownHostsFile=${env.knownHosts} -o StrictHostKeyChecking=yes -o BatchMode=yes ${env.user}@${env.host} 'sudo tar -C ${env.storePath} -czf - .' > ${theirFile}`;
	try {
		await measure(
			table,
			[
				{
					tool: OURS,
					prepare: () => rmSync(ourDir, { recursive: true, force: true }),
					command: () => ({ argv: ['node', CLI, 'backup', ...connectionFlags(env), '--out', ourDir, '--buckets', emptyBucket, '--skip-database', '--skip-settings'], env: childEnv }),
					check: () => {
						const size = existsSync(join(ourDir, 'store_file_backup.tar.gz')) ? statSync(join(ourDir, 'store_file_backup.tar.gz')).size : 0;
						return size > 0 ? undefined : 'no store_file_backup.tar.gz';
					},
				},
				{
					tool: 'openssh',
					prepare: () => rmSync(theirFile, { force: true }),
					// GNU tar exits 1 when a live log changes under it (the cluster's appender): a warning, as for us.
					command: () => ({ argv: ['bash', '-c', `${sshCommand}; code=$?; [ $code -le 1 ] && gzip -t ${theirFile} || exit $code`], env: childEnv }),
				},
			],
			'tarball',
		);
	} finally {
		started = Date.now();
		rmSync(STORE_DATA, { recursive: true, force: true });
		rmSync(ourDir, { recursive: true, force: true });
		rmSync(theirFile, { force: true });
		await removeBucket(emptyBucket);
	}
	tables.push(table);
	log(renderTable(table));
	const ratio = median(table.rows[1]?.samples.map((s) => s.wallMs) ?? []) / median(table.rows[0]?.samples.map((s) => s.wallMs) ?? []);
	targets.push({ name: 'tarball: ≥0.95× OpenSSH throughput', met: Number.isFinite(ratio) ? ratio >= 0.95 : undefined, detail: `ours ÷ OpenSSH throughput ${ratio.toFixed(2)}` });
}

// ---------------------------------------------------------------- start-up

async function startup(): Promise<void> {
	const n = 10;
	log(`\n== start-up (median of ${n})`);
	const helpSamples: number[] = [];
	const nodeSamples: number[] = [];
	let helpRss = 0;
	for (let i = 0; i < n; i++) {
		const help = await timed(['node', CLI, '--help'], childEnv, logDir, 'help');
		if (help.code !== 0) throw new Error(`deis-backup --help exited ${help.code}`);
		helpSamples.push(help.wallMs);
		helpRss = Math.max(helpRss, help.rssBytes);
		nodeSamples.push((await timed(['node', '-e', '0'], childEnv, logDir, 'node')).wallMs);
	}
	const floor = await medianFirstFrame(`node -e "process.stdout.write('${FIRST_SCREEN}')"`, childEnv, n);
	let wizard: { median: number; samples: number[] };
	try {
		wizard = await medianFirstFrame(`node ${CLI}`, childEnv, n);
	} catch (error) {
		const message = (error as Error).message;
		log(`  first wizard frame: FAILED ${message}`);
		startupLines.push(`  first wizard frame: FAILED ${message}`);
		wizard = { median: Number.NaN, samples: [] };
	}
	// deis-backup's fixed cost per command: SSH connect, the gateway keys (one etcd read), one LIST, the manifest.
	await removeBucket('bench-empty');
	await createBucket(s3, 'bench-empty');
	const emptySamples: number[] = [];
	for (let i = 0; i < 3; i++) {
		const dir = join(scratch, 'empty-backup');
		rmSync(dir, { recursive: true, force: true });
		const sample = await timed(['node', CLI, 'backup', ...connectionFlags(env), '--out', dir, '--buckets', 'bench-empty', '--skip-volume', '--skip-database', '--skip-settings'], childEnv, logDir, 'empty-backup');
		if (sample.code === 0) emptySamples.push(sample.wallMs);
	}
	await removeBucket('bench-empty');
	const help = median(helpSamples);
	const fixedCost = median(emptySamples);
	const lines = [
		['deis-backup backup of an empty bucket (fixed cost: SSH, keys, LIST, manifest)', fixedCost, `runs ${emptySamples.map((s) => s.toFixed(0)).join(' ')}`],
		['deis-backup --help (spawn to exit)', help, `peak RSS ${(helpRss / MiB).toFixed(0)} MB`],
		['  node -e 0 (the floor)', median(nodeSamples), ''],
		['first wizard frame (spawn to "What do you want to do?" on a pty)', wizard.median, `runs ${wizard.samples.map((s) => s.toFixed(0)).join(' ')}`],
		['  node printing that text under script (the floor)', floor.median, ''],
	] as const;
	for (const [what, ms, extra] of lines) if (Number.isFinite(ms)) log(`  ${what.padEnd(80)} ${ms.toFixed(0).padStart(6)} ms  ${extra}`);
	startupLines.push(...lines.filter(([, ms]) => Number.isFinite(ms)).map(([what, ms, extra]) => `  ${what.padEnd(80)} ${ms.toFixed(0).padStart(6)} ms  ${extra}`));
	targets.push(timeTarget('fixed cost: backup of an empty bucket', fixedCost, 500, `${emptySamples.length} of 3 runs succeeded`));
	targets.push(timeTarget('--help', help, 150, `node alone ${median(nodeSamples).toFixed(0)} ms`));
	targets.push(timeTarget('first wizard frame', wizard.median, 400, `floor ${floor.median.toFixed(0)} ms`));
}
const startupLines: string[] = [];

// ---------------------------------------------------------------- the AWS CLI v2

/**
 * What the AWS CLI v2 gets from this gateway: on a Deis v1 one (pre-Jewel
 * radosgw) a refusal, since the CLI signs only SigV4. Its answer also tells
 * whether this run is representative: a router that lets SigV4 through is a
 * modern gateway, and the peers' numbers then say nothing about a real cluster.
 */
async function probeAws(): Promise<string[]> {
	if (!existsSync('/usr/bin/aws')) return ['aws CLI v2: not installed (/usr/bin/aws): the gateway was not probed for SigV4; whether it is v2-only is unknown'];
	const bucket = 'bench-probe';
	await removeBucket(bucket);
	await createBucket(s3, bucket);
	try {
		const command = awsProbe(env, scratch, bucket);
		const sample = await timed(command.argv, command.env, logDir, 'aws-probe', ROOT);
		const output = tail(sample.log, 4000).trim().split('\n').map((line) => line.trim()).filter(Boolean);
		const errorLine = output.find((line) => /error/i.test(line)) ?? output.at(-1) ?? '(no output)';
		const what = `\`${command.argv.slice(1).join(' ')}\``;
		if (sample.code === 0) {
			return [
				`aws CLI v2 (not timed: it cannot sign v2): ${what} SUCCEEDED (exit 0): the router in use accepts SigV4`,
				'WARNING: the gateway was NOT v2-only (a modern, Jewel-or-later gateway): this run is not representative of a Deis v1 cluster; the peers still signed v2 as configured',
			];
		}
		if (/InvalidArgument|AccessDenied|SignatureDoesNotMatch|\(400\)|\(403\)/.test(errorLine)) {
			return [`aws CLI v2 (not timed: it cannot sign v2): refused by the v2-only gateway — ${what} exit ${sample.code}: ${errorLine}`, 'gateway: v2-only (SigV4 refused), as a Deis v1 radosgw'];
		}
		return [`aws CLI v2 (not timed): ${what} failed for another reason than a v2-only refusal — exit ${sample.code}: ${errorLine} (log ${sample.log}); whether the gateway is v2-only is unknown`];
	} finally {
		await removeBucket(bucket);
	}
}

// ---------------------------------------------------------------- main

function versions(): string[] {
	const v = (argv: string[]) => {
		try {
			return execFileSync(argv[0] as string, argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0]?.trim();
		} catch (error) {
			return `(${(error as Error).message.split('\n')[0]})`;
		}
	};
	const memory = `${(totalmem() / GiB).toFixed(1)} GiB RAM`;
	return [
		`machine: ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), ${memory}, ${v(['uname', '-sr'])}`,
		`node ${process.version}; deis-backup ${(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version} (dist/cli.js)`,
		`s3cmd: ${v(['s3cmd', '--version'])} (signature_v2 = True); rclone: ${v(['rclone', 'version'])} (v2_auth = true; rclone-16: --transfers 16 --checkers 16); aws: ${v(['/usr/bin/aws', '--version'])} (probed, not timed)`,
		`ssh: ${execFileSync('bash', ['-c', 'ssh -V 2>&1'], { encoding: 'utf8' }).trim()}`,
		`radosgw: ${v(['radosgw', '--version'])}; nginx: ${execFileSync('bash', ['-c', 'nginx -v 2>&1'], { encoding: 'utf8' }).trim()}`,
		`runs: ${RUNS}${QUICK ? ', BENCH_QUICK=1 (sets shrunk ~10×)' : ''}`,
	];
}

async function main(): Promise<void> {
	const header = versions();
	for (const line of header) log(line);
	log(`scratch ${scratch}; logs ${logDir}`);
	await removeBenchBuckets();
	const gateway = await probeAws();
	for (const line of gateway) log(line);
	const only = process.env.BENCH_ONLY?.split(',');
	const wanted = (id: string) => !only || only.includes(id);
	if (wanted('startup')) await startup();
	await raiseBodySize();
	try {
		for (const set of dataSets()) {
			if (!wanted(set.id)) continue;
			const phase = Date.now();
			if (set.resync) await resyncSet(set);
			else await transferSet(set);
			log(`  ${set.title}: ${seconds(Date.now() - phase)} (bench at ${seconds(Date.now() - benchStarted)})`);
			await collectGarbage();
		}
		if (wanted('tarball')) await tarball();
	} finally {
		await restoreBodySize().catch((error: unknown) => log(`could not put the router bodySize back: ${(error as Error).message}`));
	}

	log('\n================================ results ================================');
	for (const line of header) log(line);
	for (const line of gateway) log(line);
	log('MB = 10^6 bytes; median s = median wall time (spawn to exit); ceiling = raw v2-signed GET/PUT (a v1 LIST by marker for re-syncs) from inside one process, start-up excluded.');
	log('requests = HTTP requests the router logged for the bench buckets (median run). CPU = user + system (GNU time). time ÷ ours > 1: the tool is slower than deis-backup.');
	log('× fastest peer = the fastest peer\'s time ÷ this row\'s (> 1: faster than every peer); × ceiling = the ceiling\'s time ÷ this row\'s (the share of the gateway\'s ceiling reached).');
	for (const table of tables) log(`\n${renderTable(table)}`);
	if (startupLines.length > 0) log(`\nstart-up\n${startupLines.join('\n')}`);
	for (const note of notes) log(`\n${note}`);
	log('\ntargets (issue 17)');
	log(renderTargets(targets));
	log(`\nbench finished in ${seconds(Date.now() - benchStarted)}`);
}

let failed = false;
try {
	await main();
} catch (error) {
	failed = true;
	log(`\nbench failed: ${(error as Error).stack ?? String(error)}`);
	let reset = false;
	try {
		reset = clusterEpoch() !== epoch;
	} catch {
		reset = true;
	}
	if (reset) log('the test cluster was reset or switched mode by someone else meanwhile (a test run?): run the bench again when the cluster is quiet');
	log(`logs kept in ${logDir}`);
} finally {
	await removeBenchBuckets().catch(() => {});
	rmSync(STORE_DATA, { recursive: true, force: true });
	s3.destroy();
	for (const name of readdirSync(scratch)) if (name !== 'logs' || !failed) rmSync(join(scratch, name), { recursive: true, force: true });
	if (!failed) rmSync(scratch, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
