/**
 * The router: nginx in front of the gateway. Its config is rendered by the
 * same script the `deisctl config router set` shim uses (shims/lib/router.sh).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { shimsDir, paths, ports, LOOPBACK } from './paths.js';
import { logFile, run, startDaemon, stopDaemon, waitFor } from './proc.js';
import { router } from './sim-env.js';

const routerScript = join(shimsDir, 'lib/router.sh');

/** What the status server answers to a new connection (fetch cannot set Host, so plain http). */
function servedStatus(): Promise<string> {
	return new Promise((resolvePromise, reject) => {
		const req = get({ host: LOOPBACK, port: ports.router, path: '/', headers: { Host: 'deis-router-status' }, agent: false }, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => (body += chunk));
			res.on('end', () => resolvePromise(res.statusCode === 200 ? body : ''));
		});
		req.setTimeout(2000, () => req.destroy(new Error('router status timed out')));
		req.on('error', reject);
	});
}

export async function startRouter(): Promise<void> {
	mkdirSync(join(paths.router, 'tmp'), { recursive: true });
	await run('bash', [routerScript, 'render']);
	startDaemon('router', ['nginx', '-c', router.conf, '-e', router.errorLog]);
	await waitFor('router (nginx)', async () => (await servedStatus()).startsWith('generation='), 10000, logFile('router'));
}

/** Re-renders from etcd (/deis/router/bodySize) and reloads; returns when new connections see it. */
export async function applyRouterConfig(): Promise<void> {
	await run('bash', [routerScript, 'apply']);
}

/**
 * Which store gateway the router presents. `firefly` (the default) is what every
 * Deis v1 release ships (firefly, hammer, infernalis radosgw): AWS v2 signatures
 * only, v1 listings only. `modern` is a Jewel-or-later gateway taking v4 and
 * ListObjectsV2, for the tests of `--signature-version 4`.
 */
export type GatewayGeneration = 'firefly' | 'modern';

/** Re-renders and reloads the router; returns once new connections see the other gateway. */
export async function setGatewayGeneration(generation: GatewayGeneration): Promise<void> {
	if (generation === 'firefly') rmSync(paths.gatewayGeneration, { force: true });
	else writeFileSync(paths.gatewayGeneration, `${generation}\n`);
	await applyRouterConfig();
}

/** The gateway generation new connections are served with, as the router reports it. */
export async function gatewayGeneration(): Promise<GatewayGeneration | undefined> {
	const served = /gateway=(\S+)/.exec(await servedStatus())?.[1];
	return served === 'firefly' || served === 'modern' ? served : undefined;
}

/** The body size new connections are served with, as the router reports it. */
export async function routerBodySize(): Promise<string | undefined> {
	return /bodySize=(\S+)/.exec(await servedStatus())?.[1];
}

export function stopRouter(): Promise<void> {
	return stopDaemon('router', 'SIGTERM');
}
