/**
 * Paired A/B of deis-backup builds on one data set (b or c), both directions:
 * the builds run interleaved (order rotating each round) under GNU time, so
 * machine drift hits them alike. For comparing a change before keeping it.
 *
 *   npx tsx bench/ab.ts SET ROUNDS down|up|both NAME=DIST_CLI_JS ...
 *
 * Needs the running test cluster (hold the shared lock); uses bench-* buckets only.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEISCTL_INSTALLED } from '../source/deis.js';
import { dataSets } from './lib/data.js';
import { MiB } from './lib/env.js';
import { collectGarbage, countObjects, createBucket, removeBucket, seedBucket } from './lib/gateway.js';
import { median, timed, type Sample } from './lib/measure.js';
import { connectionFlags } from './lib/tools.js';
import { abSetup, parseBuilds } from './lib/ab.js';

const [setId = 'b', roundsText = '3', which = 'both', ...builds] = process.argv.slice(2);
const set = dataSets().find((s) => s.id === setId);
if (!set) throw new Error(`no data set ${setId}`);
const rounds = Number(roundsText);
const clis = parseBuilds(builds);
const { env, s3, dir, childEnv } = abSetup('deis-bench-ab');
const target = `${set.bucket}-up`;

const onHost = (command: string) =>
	execFileSync('ssh', ['-p', String(env.port), '-i', env.identity, '-o', `UserKnownHostsFile=${env.knownHosts}`, '-o', 'BatchMode=yes', `${env.user}@${env.host}`, command], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const results = new Map<string, Sample[]>();
function record(label: string, sample: Sample) {
	const list = results.get(label) ?? [];
	list.push(sample);
	results.set(label, list);
	console.log(`${label.padEnd(16)} ${(sample.wallMs / 1000).toFixed(2).padStart(7)} s  cpu ${(sample.cpuMs / 1000).toFixed(2)} s  rss ${(sample.rssBytes / MiB).toFixed(0)} MB  exit ${sample.code}`);
}

function summary() {
	console.log('\nlabel            median s  cpu s  rss median/worst MB   runs');
	for (const [label, samples] of results) {
		const ok = samples.filter((s) => s.code === 0);
		console.log(
			`${label.padEnd(16)} ${(median(ok.map((s) => s.wallMs)) / 1000).toFixed(2).padStart(8)}  ${(median(ok.map((s) => s.cpuMs)) / 1000).toFixed(2).padStart(5)}  ${(median(ok.map((s) => s.rssBytes)) / MiB).toFixed(0).padStart(6)}/${(Math.max(...ok.map((s) => s.rssBytes)) / MiB).toFixed(0).padEnd(10)} ${samples.map((s) => (s.wallMs / 1000).toFixed(2)).join(' ')}${ok.length < samples.length ? `  (${samples.length - ok.length} failed)` : ''}`,
		);
	}
}

let bodySize: string | undefined;
try {
	await removeBucket(set.bucket);
	await removeBucket(target);
	await collectGarbage();
	await seedBucket(s3, set.bucket, set.objects);
	const backups = new Map<string, string>();
	let reference: string | undefined;
	for (let r = 0; r < rounds; r++) {
		const order = r % 2 === 0 ? clis : [...clis].reverse();
		for (const { name, cli } of order) {
			const out = join(dir, `down-${name}`);
			rmSync(out, { recursive: true, force: true });
			execFileSync('sync');
			const sample = await timed(['node', cli, 'backup', ...connectionFlags(env), '--out', out, '--buckets', set.bucket, '--skip-volume', '--skip-database', '--skip-settings'], childEnv, dir, `down-${name}`);
			if (sample.code !== 0) console.log(readFileSync(sample.log, 'utf8').slice(-1500));
			// Every build must save the same content (the first build's sha256s are the reference).
			const digests = sample.code !== 0 ? 'failed' : JSON.stringify((JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { buckets: Array<{ objects: Array<{ key: string; sha256: string }> }> }).buckets.flatMap((b) => b.objects.map((o) => [o.key, o.sha256])));
			reference ??= digests;
			if (digests !== reference) {
				console.log(`down ${name}: sha256s differ from the first build's`);
				sample.code = 98;
			}
			if (which !== 'up') record(`down ${name}`, sample);
			backups.set(name, out);
			if (which === 'up') break;
		}
		if (which === 'up') break;
	}
	if (which !== 'down') {
		// The upload source: the first build's backup, its bucket renamed to the target.
		const source = backups.values().next().value as string;
		const restoreDir = join(dir, 'up');
		const manifest = JSON.parse(readFileSync(join(source, 'manifest.json'), 'utf8')) as { buckets: Array<{ name: string; folder: string }> };
		for (const bucket of manifest.buckets) Object.assign(bucket, { name: target, folder: `buckets/${target}` });
		mkdirSync(join(restoreDir, 'buckets'), { recursive: true });
		renameSync(join(source, 'buckets', set.bucket), join(restoreDir, 'buckets', target));
		writeFileSync(join(restoreDir, 'manifest.json'), JSON.stringify(manifest));
		for (const out of backups.values()) rmSync(out, { recursive: true, force: true });
		await removeBucket(set.bucket);
		try {
			bodySize = onHost(`${DEISCTL_INSTALLED} config router get bodySize`).trim();
		} catch {
			bodySize = '';
		}
		onHost(`${DEISCTL_INSTALLED} config router set bodySize=2048m`);
		for (let r = 0; r < rounds; r++) {
			const order = r % 2 === 0 ? clis : [...clis].reverse();
			for (const { name, cli } of order) {
				await removeBucket(target);
				await createBucket(s3, target);
				rmSync(join(restoreDir, '.deis-backup'), { recursive: true, force: true });
				execFileSync('sync');
				const sample = await timed(['node', cli, 'restore', restoreDir, ...connectionFlags(env), '--yes', '--skip-platform', '--skip-volume', '--skip-controller', '--skip-verify', '--skip-settings', '--skip-preflight'], childEnv, dir, `up-${name}`);
				if (sample.code !== 0) console.log(readFileSync(sample.log, 'utf8').slice(-1500));
				const found = await countObjects(s3, target);
				if (found.count !== set.objects.length || found.bytes !== set.bytes) {
					console.log(`up ${name}: bucket holds ${found.count} objects ${found.bytes} bytes`);
					sample.code = 99;
				}
				record(`up ${name}`, sample);
			}
		}
	}
	summary();
} finally {
	if (bodySize !== undefined) onHost(bodySize ? `${DEISCTL_INSTALLED} config router set bodySize=${bodySize}` : `${DEISCTL_INSTALLED} config router rm bodySize`);
	await removeBucket(set.bucket);
	await removeBucket(target);
	s3.destroy();
	rmSync(dir, { recursive: true, force: true });
}
