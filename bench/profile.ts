/**
 * Where deis-backup spends its CPU on one data set: seeds the set, runs the
 * compiled CLI once under `node --cpu-prof` (download, then upload into an
 * empty bucket), and prints self time by package and by function.
 *
 *   npx tsx bench/profile.ts a|b|c|d [download|upload|both]
 *
 * Needs the running test cluster (as bench/run.sh leaves it); uses only
 * bench-* buckets and removes them afterwards. Profiles stay in the printed folder.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEISCTL_INSTALLED } from '../source/deis.js';
import { dataSets } from './lib/data.js';
import { readClusterEnv, ROOT } from './lib/env.js';
import { createBucket, directClient, removeBucket, seedBucket } from './lib/gateway.js';
import { CLI, connectionFlags } from './lib/tools.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const [setId = 'a', which = 'both'] = process.argv.slice(2);
const set = dataSets().find((s) => s.id === setId);
if (!set) throw new Error(`no data set ${setId}`);
const env = readClusterEnv();
const s3 = directClient(env);
const dir = mkdtempSync('/tmp/deis-bench-profile.');
const backup = join(dir, 'backup');
const target = `${set.bucket}-up`;

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
	startTime: number;
	endTime: number;
}

function summarize(label: string, profileDir: string): void {
	const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
	if (!file) throw new Error(`no profile in ${profileDir}`);
	const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as Profile;
	const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
	const byPackage = new Map<string, number>();
	const byFunction = new Map<string, number>();
	profile.samples.forEach((id, i) => {
		const frame = (nodes.get(id) as ProfileNode).callFrame;
		const dt = (profile.timeDeltas[i] ?? 0) / 1000;
		const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url)?.[1] ?? (frame.url.includes('/dist/') ? `dist/${frame.url.split('/dist/')[1]}` : frame.url || frame.functionName || '(native)');
		byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + dt);
		const fn = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}`;
		byFunction.set(fn, (byFunction.get(fn) ?? 0) + dt);
	});
	const top = (map: Map<string, number>, n: number) =>
		[...map]
			.sort((a, b) => b[1] - a[1])
			.slice(0, n)
			.map(([k, v]) => `  ${v.toFixed(0).padStart(7)} ms  ${k}`)
			.join('\n');
	const total = [...byPackage.values()].reduce((a, b) => a + b, 0);
	console.log(`\n== ${label}: ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms wall, ${(total - (byPackage.get('(idle)') ?? 0)).toFixed(0)} ms on CPU (profile ${join(profileDir, file)})`);
	console.log(`by package / module:\n${top(byPackage, 22)}\nby function (self time):\n${top(byFunction, 25)}`);
}

function profiled(label: string, args: string[]): void {
	const profileDir = join(dir, `prof-${label}`);
	mkdirSync(profileDir);
	const started = Date.now();
	const result = spawnSync('node', ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, HOME: dir } });
	console.log(`${label}: exit ${result.status} in ${Date.now() - started} ms`);
	if (result.status !== 0) console.log(result.stdout.slice(-2000), result.stderr.slice(-2000));
	summarize(label, profileDir);
}

function onHost(command: string): string {
	return execFileSync('ssh', ['-p', String(env.port), '-i', env.identity, '-o', `UserKnownHostsFile=${env.knownHosts}`, '-o', 'BatchMode=yes', `${env.user}@${env.host}`, command], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

try {
	await removeBucket(set.bucket);
	await removeBucket(target);
	await seedBucket(s3, set.bucket, set.objects);
	profiled('download', ['backup', ...connectionFlags(env), '--out', backup, '--buckets', set.bucket, '--skip-volume', '--skip-database', '--skip-settings']);
	if (which !== 'download') {
		await removeBucket(set.bucket);
		const manifest = JSON.parse(readFileSync(join(backup, 'manifest.json'), 'utf8')) as { buckets: Array<{ name: string; folder: string }> };
		for (const bucket of manifest.buckets) Object.assign(bucket, { name: target, folder: `buckets/${target}` });
		renameSync(join(backup, 'buckets', set.bucket), join(backup, 'buckets', target));
		writeFileSync(join(backup, 'manifest.json'), JSON.stringify(manifest));
		await createBucket(s3, target);
		let previous: string | undefined;
		try {
			previous = onHost(`${DEISCTL_INSTALLED} config router get bodySize`).trim();
		} catch {
			previous = undefined;
		}
		onHost(`${DEISCTL_INSTALLED} config router set bodySize=2048m`);
		try {
			profiled('upload', ['restore', backup, ...connectionFlags(env), '--yes', '--skip-platform', '--skip-volume', '--skip-controller', '--skip-verify', '--skip-settings', '--skip-preflight']);
		} finally {
			onHost(previous ? `${DEISCTL_INSTALLED} config router set bodySize=${previous}` : `${DEISCTL_INSTALLED} config router rm bodySize`);
		}
	}
} finally {
	await removeBucket(set.bucket);
	await removeBucket(target);
	s3.destroy();
	execFileSync('rm', ['-rf', backup]);
	console.log(`\nprofiles kept in ${dir}`);
}
