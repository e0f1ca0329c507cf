/** What the paired A/B scripts (ab.ts, ab-small.ts) share: the builds named on the command line and a private environment for them. */
import { mkdtempSync } from 'node:fs';
import { readClusterEnv, type ClusterEnv } from './env.js';
import { directClient } from './gateway.js';

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
