/**
 * The built-in demo cluster: a one-machine Deis v1 cluster inside this process
 * (plus the store gateway's child process), for `deis-backup demo` and the
 * fast tests. The tool reaches it exactly as it reaches a real cluster — SSH
 * with a key checked against known_hosts, S3 at the gateway URL — and cannot
 * tell the difference.
 */
import { randomBytes } from 'node:crypto';
import { appendFile, chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectionSettings } from '../settings.js';
import { publishAll } from './controller.js';
import { DemoEtcd } from './etcd.js';
import { generateEd25519 } from './keys.js';
import { startGatewayProcess } from './gateway/process.js';
import type { GatewayProcess } from './gateway/process.js';
import { startRouter } from './gateway/router.js';
import type { GatewayGeneration, Router } from './gateway/router.js';
import type { HostState } from './host/types.js';
import { demoModel } from './model.js';
import type { DemoModel } from './model.js';
import { hexFor } from './random.js';
import { seedStoreVolume, sourceObjects, writeObjects } from './seed.js';
import { DEMO_RELEASE, seedPlatformSettings } from './settings.js';
import { startSshHost } from './ssh-server.js';
import type { DemoLogEntry, SshHost } from './ssh-server.js';
import { DemoUnits } from './units.js';
import type { UnitState } from './units.js';

export type { DemoLogEntry } from './ssh-server.js';
export type { GatewayGeneration } from './gateway/router.js';
export type { UnitState } from './units.js';

export interface DemoClusterOptions {
	/** A folder the caller owns (e.g. a temp dir); the cluster lives in `<root>/<name>`. */
	root: string;
	/** 'source': a running cluster full of data. 'fresh': a new cluster, nothing installed, nothing stored. */
	mode: 'source' | 'fresh';
	/** Defaults to the mode, so a source and a fresh cluster can share one root. */
	name?: string;
	/** 'older' controllers lack load_db_state_to_etcd and need the shell re-save. Default 'later'. */
	controllerRelease?: 'later' | 'older';
	/**
	 * 'firefly' (default): the store gateway of every Deis v1 release, AWS v2
	 * signatures and v1 listings only. 'modern': a Jewel-or-later radosgw that
	 * also takes v4 and ListObjectsV2, for `--signature-version 4`.
	 */
	gateway?: GatewayGeneration;
}

export interface DemoCluster {
	name: string;
	mode: 'source' | 'fresh';
	/** What the tool needs to reach the cluster. */
	connection: ConnectionSettings;
	/** Stands in for the host's /var/lib/deis/store. */
	storeDir: string;
	/** s3rver's storage folder (one folder per bucket). */
	gatewayDir: string;
	/** The store gateway's credentials (published in etcd once the gateway has started). */
	gatewayKeys: { accessKey: string; secretKey: string };
	etcd: DemoEtcd;
	/** The controller's database rows. */
	model: DemoModel;
	/** The fleet unit table as it stands. */
	units(): UnitState[];
	/** Every command received over SSH, in order. */
	log: DemoLogEntry[];
	/** Child process ids started by the cluster (the gateway), for leak checks. */
	pids: number[];
	/** Closes the SSH host, router and gateway. Safe to call more than once. */
	stop(): Promise<void>;
}

const HOST_IP = '127.0.0.1';

function generatedKeys() {
	// the shape Ceph's radosgw-admin generates: 20 upper-case characters, 40 of base64
	const accessKey = randomBytes(20).toString('base64').replace(/[^A-Za-z0-9]/g, '').toUpperCase().padEnd(20, 'X').slice(0, 20);
	const secretKey = randomBytes(30).toString('base64');
	return { accessKey, secretKey };
}

export async function startDemoCluster(opts: DemoClusterOptions): Promise<DemoCluster> {
	const name = opts.name ?? opts.mode;
	const dir = join(opts.root, name);
	const storeDir = join(dir, 'store');
	const gatewayDir = join(dir, 'gateway');
	const sshDir = join(dir, 'ssh');
	await Promise.all([storeDir, gatewayDir, sshDir].map((d) => mkdir(d, { recursive: true })));

	const source = opts.mode === 'source';
	const domain = 'demo.deis';
	const model = demoModel();
	const etcd = new DemoEtcd();
	const units = new DemoUnits(`${hexFor(`machine:${name}`, 8)}.../${HOST_IP}`, source ? 'running' : 'absent');
	const gatewayKeys = generatedKeys();
	const log: DemoLogEntry[] = [];

	etcd.set('/deis/platform/domain', domain);
	etcd.set('/deis/store/gateway/host', HOST_IP);
	etcd.set('/deis/store/gateway/port', '8888');
	etcd.set('/deis/database/bucketName', 'db_wal');
	etcd.set('/deis/registry/bucketName', 'registry');
	seedPlatformSettings(etcd, opts.mode, name, HOST_IP);
	if (source) {
		etcd.set('/deis/store/gateway/accessKey', gatewayKeys.accessKey);
		etcd.set('/deis/store/gateway/secretKey', gatewayKeys.secretKey);
		publishAll(model, etcd);
	}

	const liveLogs = new Set<Promise<void>>();
	let stopping = false;
	const startLiveLog = () => {
		let running = true;
		const loop = (async () => {
			let n = 0;
			while (running && !stopping) {
				await appendFile(join(storeDir, 'logs', 'deis-registry.log'), `${new Date().toISOString()} deis-registry[1001]: 172.17.8.100 - - "GET /v1/_ping HTTP/1.1" 200 ${n++}\n`);
				await sleep(2);
			}
		})().catch(() => {});
		liveLogs.add(loop);
		return async () => {
			running = false;
			await loop;
			liveLogs.delete(loop);
		};
	};

	const host: HostState = {
		mode: opts.mode,
		hostIp: HOST_IP,
		hostname: 'deis-1',
		storeDir,
		etcd,
		units,
		model,
		gatewayKeys,
		release: DEMO_RELEASE[opts.mode],
		controllerRelease: opts.controllerRelease ?? 'later',
		startLiveLog,
	};

	const hostKey = generateEd25519();
	const clientKey = generateEd25519('deis-backup-demo');
	const identity = join(sshDir, 'id_ed25519');
	const knownHosts = join(sshDir, 'known_hosts');
	const apps = model.apps.map((a) => a.id);

	// everything independent starts at once; if any part fails, the parts that did start are stopped
	const started: Array<{ close(): Promise<void> }> = [];
	const track = <T extends { close(): Promise<void> }>(p: Promise<T>) => p.then((v) => (started.push(v), v));
	let gateway: GatewayProcess | undefined;
	let router: Router;
	let ssh: SshHost;
	try {
		const gatewayStarted = startGatewayProcess({ directory: gatewayDir, ...gatewayKeys }).then((g) => {
			gateway = g;
			return g;
		});
		[, , ssh, router] = await Promise.all([
			source ? writeObjects(gatewayDir, sourceObjects(apps)) : Promise.resolve(),
			source ? seedStoreVolume(storeDir, apps) : Promise.resolve(),
			track(startSshHost({ hostKey: hostKey.private, clientPublicKey: clientKey.public, user: 'core', host, log })),
			gatewayStarted.then((g) =>
				track(
					startRouter({
						upstreamPort: g.port,
						routerUp: () => units.isRunning('router'),
						gatewayUp: () => units.isRunning('store-gateway'),
						bodySize: () => etcd.get('/deis/router/bodySize') ?? '1m',
						accessKey: gatewayKeys.accessKey,
						secretKey: gatewayKeys.secretKey,
						gateway: opts.gateway ?? 'firefly',
					}),
				),
			),
			writeFile(identity, clientKey.private, { mode: 0o600 }).then(() => chmod(identity, 0o600)),
		]);
	} catch (e) {
		stopping = true;
		await Promise.allSettled([...started.map((s) => s.close()), gateway?.stop()]);
		throw e;
	}
	await writeFile(knownHosts, `[${HOST_IP}]:${ssh.port} ${hostKey.public}\n`);

	let stopped: Promise<void> | undefined;
	const stop = () =>
		(stopped ??= (async () => {
			stopping = true;
			await Promise.allSettled([ssh.close(), router.close(), gateway?.stop(), ...liveLogs]);
		})());

	return {
		name,
		mode: opts.mode,
		connection: {
			host: HOST_IP,
			port: ssh.port,
			user: 'core',
			identity,
			knownHosts,
			domain,
			storeEndpoint: `http://${HOST_IP}:${router.port}`,
		},
		storeDir,
		gatewayDir,
		gatewayKeys,
		etcd,
		model,
		units: () => units.list(),
		log,
		pids: gateway ? [gateway.pid] : [],
		stop,
	};
}
