/** What the paired A/B scripts (ab.ts, ab-small.ts, ab-stages.ts) share: the builds named on the command line, a private environment for them, the closing table. */
import { mkdtempSync } from 'node:fs';
import { readClusterEnv, type ClusterEnv } from './env.js';
import { directClient } from './gateway.js';
import { median, type Sample } from './measure.js';

export interface Build {
	name: string;
	cli: string;
}

/** `NAME=path/to/dist/cli.js` arguments. */
export function parseBuilds(args: readonly string[]): Build[] {
	return args.map((arg) => {
		const [name, cli] = arg.split('=');
		return { name: name as string, cli: cli as string };
	});
}

export function abSetup(prefix: string): { env: ClusterEnv; s3: ReturnType<typeof directClient>; dir: string; childEnv: NodeJS.ProcessEnv } {
	const env = readClusterEnv();
	const dir = mkdtempSync(`${process.env.AB_DIR ?? '/tmp'}/${prefix}.`);
	const childEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, LANG: 'C.UTF-8', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NO_COLOR: '1' };
	return { env, s3: directClient(env), dir, childEnv };
}

/** The closing table of a paired run: per label, the median wall and CPU time of the runs that succeeded, and every run's time. */
export function printMedians(results: ReadonlyMap<string, readonly Sample[]>): void {
	console.log('\nlabel          median s  median cpu s   runs (s)');
	for (const [label, samples] of results) {
		const ok = samples.filter((s) => s.code === 0);
		console.log(`${label.padEnd(14)} ${(median(ok.map((s) => s.wallMs)) / 1000).toFixed(3).padStart(8)}  ${(median(ok.map((s) => s.cpuMs)) / 1000).toFixed(3).padStart(12)}   ${samples.map((s) => (s.wallMs / 1000).toFixed(2)).join(' ')}${ok.length < samples.length ? `  (${samples.length - ok.length} failed)` : ''}`);
	}
}
