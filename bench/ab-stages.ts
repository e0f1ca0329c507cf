/**
 * Paired A/B of deis-backup builds on the paths where SSH does most of the
 * work: a whole restore into a fresh cluster (every stage, many remote
 * commands), and a backup's volume stage (tar czf streamed over SSH). Builds
 * run interleaved, the order reversed every round, under GNU time.
 *
 *   npx tsx bench/ab-stages.ts ROUNDS restore,volume NAME=DIST_CLI_JS ...
 *   AB_VOLUME_MB=250 npx tsx bench/ab-stages.ts 5 volume old=/tmp/old/dist/cli.js new=dist/cli.js
 *
 * Needs the running test cluster for itself (hold the shared lock): the restore
 * part switches it between its source and fresh modes (test/cluster), and
 * leaves it as the source cluster.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeFresh, makeSource } from '../test/cluster/env.js';
import { abSetup, parseBuilds, printMedians } from './lib/ab.js';
import { createBucket, removeBucket } from './lib/gateway.js';
import { timed, type Sample } from './lib/measure.js';
import { connectionFlags } from './lib/tools.js';
import { writeVolumeData } from './lib/volume-data.js';

const [roundsText = '3', partsText = 'restore,volume', ...builds] = process.argv.slice(2);
const rounds = Number(roundsText);
const parts = new Set(partsText.split(','));
const clis = parseBuilds(builds);
const { env, s3, dir, childEnv } = abSetup('deis-bench-ab-stages');
const results = new Map<string, Sample[]>();

async function paired(label: string, before: () => Promise<void>, argv: (cli: string, name: string) => string[]) {
	for (let r = 0; r < rounds; r++) {
		for (const { name, cli } of r % 2 === 0 ? clis : [...clis].reverse()) {
			await before();
			execFileSync('sync');
			const sample = await timed(['node', ...argv(cli, name)], childEnv, dir, `${label}-${name}`);
			if (sample.code !== 0) console.log(readFileSync(sample.log, 'utf8').slice(-1500));
			console.log(`${label} ${name}`.padEnd(16), `${(sample.wallMs / 1000).toFixed(2)} s  cpu ${(sample.cpuMs / 1000).toFixed(2)} s  exit ${sample.code}`);
			results.set(`${label} ${name}`, [...(results.get(`${label} ${name}`) ?? []), sample]);
		}
	}
}

try {
	if (parts.has('restore')) {
		const folder = join(dir, 'source-backup');
		await makeSource();
		execFileSync('node', [clis[0]!.cli, 'backup', ...connectionFlags(env), '--out', folder, '--yes', '--plain'], { env: childEnv, stdio: 'ignore' });
		// --restart: each run starts over, as on a new cluster, instead of resuming the last one's journal.
		await paired('restore', async () => void (await makeFresh()), (cli) => [cli, 'restore', folder, ...connectionFlags(env), '--yes', '--plain', '--restart']);
		await makeSource();
	}
	if (parts.has('volume')) {
		const data = join(env.storeDir, 'bench-data');
		rmSync(data, { recursive: true, force: true });
		await writeVolumeData(data, Number(process.env.AB_VOLUME_MB ?? 250) * 1e6);
		await removeBucket('bench-empty');
		await createBucket(s3, 'bench-empty');
		try {
			await paired(
				'volume',
				async () => undefined,
				(cli, name) => {
					const out = join(dir, `volume-${name}`);
					rmSync(out, { recursive: true, force: true });
					return [cli, 'backup', ...connectionFlags(env), '--out', out, '--buckets', 'bench-empty', '--skip-database', '--skip-settings'];
				},
			);
		} finally {
			rmSync(data, { recursive: true, force: true });
			await removeBucket('bench-empty');
		}
	}
	printMedians(results);
} finally {
	s3.destroy();
	rmSync(dir, { recursive: true, force: true });
}
