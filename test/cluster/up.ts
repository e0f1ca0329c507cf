/**
 * Brings the simulated Deis v1 cluster up on loopback (see README.md) in
 * source mode, tearing down any leftover run first. Writes .cluster/env.json
 * (.cluster is a symlink to the state folder under /tmp: lib/paths.ts).
 *   npx tsx test/cluster/up.ts
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startCeph, GATEWAY_URL } from './lib/ceph.js';
import { writeEnv } from './lib/env-file.js';
import { ETCD_URL, startEtcd } from './lib/etcd.js';
import { newKeys } from './lib/gateway-users.js';
import { addHostsEntry } from './lib/hosts-file.js';
import { installOptBin } from './lib/opt-bin.js';
import { writeReleaseFile } from './lib/release-file.js';
import { clusterDir, DOMAIN, HOST_USER, LOOPBACK, paths, ports, shimsDir, sshFiles, STORE_HOSTNAME, STORE_PATH } from './lib/paths.js';
import { pgDataDir, startPostgres } from './lib/postgres.js';
import { assertPortsFree, daemonRunning } from './lib/proc.js';
import { startRouter } from './lib/router.js';
import { seedObjects } from './lib/seed-data.js';
import { router, writeSimEnv } from './lib/sim-env.js';
import { startSshHost } from './lib/ssh-host.js';
import { copyShims, prepareStateDir } from './lib/state-dir.js';
import { attachStorePath } from './lib/store-path.js';
import { stopCluster } from './lib/teardown.js';
import { timed } from './lib/timing.js';

/** Everything of the previous run goes, except the cache (templates that are slow to build). */
function wipeClusterDir(): void {
	if (!existsSync(clusterDir)) return;
	for (const name of readdirSync(clusterDir)) {
		if (join(clusterDir, name) !== paths.cache) rmSync(join(clusterDir, name), { recursive: true, force: true });
	}
}

async function up(): Promise<void> {
	const started = Date.now();
	if (process.getuid?.() !== 0) throw new Error('the test cluster needs root (users, /etc/hosts, port 80)');
	prepareStateDir();
	// Ports held by something that is not this checkout's cluster (another checkout's cluster, a
	// system nginx): refuse before the teardown, which removes machine-wide files (/opt/bin/deisctl,
	// the /etc/hosts line, sudoers) that a running cluster of another checkout still uses.
	if (!ownDaemonRunning()) await assertPortsFree(ports);
	touched = true;
	await timed('teardown', stopCluster);
	wipeClusterDir();
	await assertPortsFree(ports);
	for (const dir of [clusterDir, paths.pids, paths.logs, paths.ceph, paths.router, paths.ssh, paths.postgres, paths.store, paths.faults, paths.cache]) {
		mkdirSync(dir, { recursive: true, mode: 0o755 });
	}
	copyShims();
	writeSimEnv();
	addHostsEntry();
	installOptBin();
	writeReleaseFile();
	const storePath = await attachStorePath();
	const starting = Promise.all([
		timed('etcd', startEtcd).then(() => timed('router', startRouter)),
		timed('ceph', startCeph),
		timed('postgres', startPostgres),
		timed('ssh host', startSshHost),
	]);
	starting.catch(() => {}); // awaited below; this only keeps a failure from counting as unhandled meanwhile
	// The S3 SDK takes ~0.5 s of CPU to load: load it while the daemons start.
	const { initialSource } = await import('./lib/modes.js');
	// ~40 MB of deterministic content to checksum: done while the daemons start.
	const objects = await timed('seed checksums', async () => seedObjects());
	writeEnv({
		host: LOOPBACK,
		port: ports.ssh,
		user: HOST_USER,
		identity: sshFiles.identity,
		knownHosts: sshFiles.knownHosts,
		domain: DOMAIN,
		storeEndpoint: `http://${STORE_HOSTNAME}`,
		gatewayDirect: GATEWAY_URL,
		etcdUrl: ETCD_URL,
		etcdHostPort: `${LOOPBACK}:${ports.etcd}`,
		keys: newKeys(),
		storeDir: paths.store,
		storePath: STORE_PATH,
		files: {
			clusterDir,
			shims: shimsDir,
			units: paths.units,
			deisctlLog: paths.deisctlLog,
			dockerLog: paths.dockerLog,
			faults: paths.faults,
			controllerVersion: paths.controllerVersion,
			routerAccessLog: router.accessLog,
		},
		postgres: { port: ports.postgres, socketDir: pgDataDir },
		objects,
	});
	await starting;
	await timed('source mode', initialSource);
	console.log(`${STORE_PATH} is a ${storePath} of ${paths.store}`);
	console.log(`test cluster up in ${((Date.now() - started) / 1000).toFixed(1)} s (state in ${clusterDir})`);
}

/** The teardown has begun: from here a failure stops what was started. */
let touched = false;

function ownDaemonRunning(): boolean {
	return existsSync(paths.pids) && readdirSync(paths.pids).some((file) => file.endsWith('.pid') && daemonRunning(file.slice(0, -4)));
}

try {
	await up();
} catch (error) {
	console.error(`up failed: ${(error as Error).message}`);
	if (!touched) process.exit(1);
	console.error('stopping what was started...');
	await stopCluster().catch((e: unknown) => console.error(`teardown also failed: ${(e as Error).message}`));
	process.exit(1);
}
