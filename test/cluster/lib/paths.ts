/**
 * Where the simulated cluster lives and which loopback ports it uses.
 *
 * Everything is derived from this file's location so a clone anywhere works.
 * Run state is read by system users (postgres runs initdb and the server on
 * it, sshd checks core's key as core, core runs the shims and sources the
 * nse function), so it cannot live under the checkout, which may sit in a
 * folder only root can enter (/root, a `mktemp -d`). It goes to a 0755 folder
 * under /tmp named after the checkout, and <repo>/.cluster is a symlink to it
 * (state-dir.ts), so `.cluster/env.json` keeps working for the bench and people.
 */
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** The checkout's own name for the state: a symlink to clusterDir. */
export const repoClusterLink = join(repoDir, '.cluster');
// One folder per checkout: two clones never share (or wipe) each other's state.
const checkoutId = createHash('sha256').update(realpathSync(repoDir)).digest('hex').slice(0, 12);
export const clusterDir = `/tmp/deis-backup-cluster-${checkoutId}`;
/** The shims as committed; up.ts copies them to shimsDir, where `core` can run them. */
export const shimsSource = join(repoDir, 'test/cluster/shims');
export const shimsDir = join(clusterDir, 'shims');
export const fixturesDir = join(repoDir, 'test/cluster/fixtures');

export const LOOPBACK = '127.0.0.1';
export const DOMAIN = 'deis.test';
export const STORE_HOSTNAME = `deis-store.${DOMAIN}`;
/** The path the procedure uses on a CoreOS host; a symlink to <.cluster>/store here. */
export const STORE_PATH = '/var/lib/deis/store';

export const ports = {
	etcd: 4001,
	etcdAlt: 2379,
	etcdPeer: 2380,
	cephMonV2: 3300,
	cephMonV1: 6789,
	gateway: 7480,
	router: 80,
	ssh: 2222,
	postgres: 54329,
} as const;

/** Files and folders inside .cluster. */
export const paths = {
	env: join(clusterDir, 'env.json'),
	simEnv: join(clusterDir, 'sim.env'),
	pids: join(clusterDir, 'pids'),
	logs: join(clusterDir, 'logs'),
	etcdData: join(clusterDir, 'etcd'),
	ceph: join(clusterDir, 'ceph'),
	router: join(clusterDir, 'router'),
	ssh: join(clusterDir, 'ssh'),
	postgres: join(clusterDir, 'postgres'),
	store: join(clusterDir, 'store'),
	units: join(clusterDir, 'units.tsv'),
	deisctlLog: join(clusterDir, 'deisctl.log'),
	dockerLog: join(clusterDir, 'docker.log'),
	faults: join(clusterDir, 'faults'),
	controllerVersion: join(clusterDir, 'controller-version'),
	/** `firefly` (absent) or `modern`: which radosgw the router makes the gateway look like. */
	gatewayGeneration: join(clusterDir, 'gateway-generation'),
	controllerApp: join(clusterDir, 'controller-app'),
	mode: join(clusterDir, 'mode'),
	/** Survives up.ts' wipe: built once, reused (the database template). */
	cache: join(clusterDir, 'cache'),
} as const;

export const sshFiles = {
	identity: join(paths.ssh, 'id_ed25519'),
	hostKey: join(paths.ssh, 'host_ed25519_key'),
	knownHosts: join(paths.ssh, 'known_hosts'),
	config: join(paths.ssh, 'sshd_config'),
} as const;

/** Where Deis installs deisctl on CoreOS; up.ts puts a wrapper around the shim there. */
export const OPT_BIN_DEISCTL = '/opt/bin/deisctl';
export const SUDOERS_FILE = '/etc/sudoers.d/deis-backup-test';
export const HOSTS_FILE = '/etc/hosts';
export const HOST_USER = 'core';
