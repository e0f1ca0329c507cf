/**
 * Paired A/B of deis-backup builds on the small-object paths: the fixed cost
 * (backup of an empty bucket), (a) download, and the (d) no-change re-sync
 * both ways. Builds run interleaved, the order reversed every round, under
 * GNU time, so machine drift hits them alike.
 *
 *   npx tsx bench/ab-small.ts ROUNDS empty,a,d NAME=DIST_CLI_JS ...
 *   AB_CPU_PROF=DIR npx tsx bench/ab-small.ts 1 d new=dist/cli.js   # each timed run also writes a CPU profile to DIR
 *
 * Needs the running test cluster (hold the shared lock); uses bench-* buckets only.
 * (d) downloads its 10,000 objects once with the first build (untimed) and copies
 * that folder for the others, so every build re-syncs the same files.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { dataSets } from './lib/data.js';
import { collectGarbage, createBucket, removeBucket, seedBucket } from './lib/gateway.js';
import { timed, type Sample } from './lib/measure.js';
import { connectionFlags } from './lib/tools.js';
import { abSetup, parseBuilds, printMedians } from './lib/ab.js';

const [roundsText = '5', partsText = 'empty,a,d', ...builds] = process.argv.slice(2);
const rounds = Number(roundsText);
const parts = new Set(partsText.split(','));
const clis = parseBuilds(builds);
const { env, s3, dir, childEnv } = abSetup('deis-bench-ab-small');
const results = new Map<string, Sample[]>();

function record(label: string, sample: Sample & { log: string }, objects: number) {
	const list = results.get(label) ?? [];
	list.push(sample);
	results.set(label, list);
	if (sample.code !== 0) console.log(readFileSync(sample.log, 'utf8').slice(-1500));
	console.log(`${label.padEnd(14)} ${(sample.wallMs / 1000).toFixed(3).padStart(7)} s  cpu ${(sample.cpuMs / 1000).toFixed(3)} s (${(sample.cpuMs / Math.max(1, objects)).toFixed(3)} ms/obj)  rss ${(sample.rssBytes / 2 ** 20).toFixed(0)} MB  exit ${sample.code}`);
}

const node = process.env.AB_CPU_PROF ? ['node', '--cpu-prof', `--cpu-prof-dir=${process.env.AB_CPU_PROF}`] : ['node'];
// A build may carry flags of its own after its path ('c16=dist/cli.js --concurrency 16'), to compare settings of one build.
const own = (cli: string) => cli.split(' ').slice(1);
const path = (cli: string) => cli.split(' ')[0] as string;
const backup = (cli: string, out: string, bucket: string) => [...node, path(cli), 'backup', ...connectionFlags(env), '--out', out, '--buckets', bucket, '--skip-volume', '--skip-database', '--skip-settings', ...own(cli)];
const restore = (cli: string, folder: string) => [...node, path(cli), 'restore', folder, ...connectionFlags(env), '--yes', '--skip-platform', '--skip-volume', '--skip-controller', '--skip-verify', '--skip-settings', '--skip-preflight', ...own(cli)];

async function paired(label: string, objects: number, run: (cli: string, name: string) => Promise<Sample & { log: string }>) {
	for (let r = 0; r < rounds; r++) {
		for (const { name, cli } of r % 2 === 0 ? clis : [...clis].reverse()) record(`${label} ${name}`, await run(cli, name), objects);
	}
}

try {
	if (parts.has('empty')) {
		await removeBucket('bench-empty');
		await createBucket(s3, 'bench-empty');
		await paired('empty', 1, async (cli, name) => {
			const out = join(dir, `empty-${name}`);
			rmSync(out, { recursive: true, force: true });
			return timed(backup(cli, out, 'bench-empty'), childEnv, dir, `empty-${name}`);
		});
		await removeBucket('bench-empty');
	}
	for (const id of ['a', 'd'] as const) {
		if (!parts.has(id)) continue;
		const set = dataSets().find((s) => s.id === id);
		if (!set) throw new Error(`no set ${id}`);
		await removeBucket(set.bucket);
		await collectGarbage();
		await seedBucket(s3, set.bucket, set.objects);
		if (id === 'a') {
			let aside = 0;
			await paired('a down', set.objects.length, async (cli, name) => {
				const out = join(dir, `a-${name}`);
				// Moved aside, not deleted: see setAside in bench.ts (ext4 without a journal and freshly freed inodes).
				if (existsSync(out)) renameSync(out, join(dir, `aside-${aside++}`));
				execFileSync('sync');
				return timed(backup(cli, out, set.bucket), childEnv, dir, `a-${name}`);
			});
		} else {
			const first = join(dir, `d-${clis[0]?.name}`);
			const initial = await timed(backup(clis[0]?.cli as string, first, set.bucket), childEnv, dir, 'd-initial');
			if (initial.code !== 0) throw new Error(`initial (d) backup failed: ${readFileSync(initial.log, 'utf8').slice(-1500)}`);
			for (const { name } of clis.slice(1)) execFileSync('cp', ['-a', first, join(dir, `d-${name}`)]);
			execFileSync('sync');
			await paired('d down', set.objects.length, (cli, name) => timed(backup(cli, join(dir, `d-${name}`), set.bucket), childEnv, dir, `d-down-${name}`));
			await paired('d up', set.objects.length, (cli, name) => {
				rmSync(join(dir, `d-${name}`, '.deis-backup'), { recursive: true, force: true });
				return timed(restore(cli, join(dir, `d-${name}`)), childEnv, dir, `d-up-${name}`);
			});
		}
		await removeBucket(set.bucket);
	}
	printMedians(results);
} finally {
	s3.destroy();
	rmSync(dir, { recursive: true, force: true });
}
