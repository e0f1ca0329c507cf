/**
 * Switching the running cluster between the two clusters of the procedure:
 * the source (seeded, live) and a fresh one to restore into.
 */
import { join } from 'node:path';
import { readEnv } from './env-file.js';
import { clearFaults, setControllerVersion, setMode } from './cluster-state.js';
import { etcdRemove, etcdSet } from './etcd.js';
import { createUser, FRESH_UID, listUsers, newKeys, publishKeys, removeUser, SOURCE_UID } from './gateway-users.js';
import { LOOPBACK, ports, shimsDir } from './paths.js';
import { run } from './proc.js';
import { applyRouterConfig } from './router.js';
import { s3Client } from './s3.js';
import type { GatewayKeys } from './s3.js';
import type { SeedObject } from './seed-data.js';
import { seedIntact, uploadSeed } from './seed.js';
import { seedPlatformSettings } from './platform-settings.js';
import { emptyStore, populateStore, startAppender, stopAppender } from './store-files.js';
import { freshUnits, sourceUnits, writeUnits } from './units.js';
import { GATEWAY_URL } from './ceph.js';
import { timed } from './timing.js';

/** What the controller publishes to etcd when its models are saved. */
export const MODEL_DIRS = ['/deis/builder', '/deis/services', '/deis/domains', '/deis/certs', '/deis/config'] as const;
/** Written once the database and registry have started. */
const BUCKET_NAME_KEYS = { '/deis/database/bucketName': 'db_wal', '/deis/registry/bucketName': 'registry' } as const;

async function clearEtcdState(): Promise<void> {
	await Promise.all([...MODEL_DIRS, '/deis/router/bodySize', ...Object.keys(BUCKET_NAME_KEYS)].map(etcdRemove));
}

/** The live source cluster's etcd: models published from the database, as the controller did. */
async function publishSourceEtcd(): Promise<void> {
	await run('bash', [join(shimsDir, 'lib/publish-models.sh'), `${LOOPBACK}:${ports.etcd}`, 'key', 'app', 'domain', 'certificate', 'config']);
	await Promise.all(Object.entries(BUCKET_NAME_KEYS).map(([key, value]) => etcdSet(key, value)));
}

/**
 * The source user owning exactly the seed; re-seeds only when something changed.
 * `known`: the gateway's users when already known (a brand-new gateway has none).
 */
async function restoreSourceGateway(keys: GatewayKeys, seed: readonly SeedObject[], known?: string[]): Promise<void> {
	const users = known ?? (await listUsers());
	if (users.includes(FRESH_UID)) await removeUser(FRESH_UID);
	// The harness seeds the modern radosgw behind the router directly: v4 and ListObjectsV2 work there.
	const s3 = s3Client(keys, GATEWAY_URL, 'v4');
	try {
		if (users.includes(SOURCE_UID)) {
			if (await seedIntact(s3, seed)) return;
			await removeUser(SOURCE_UID);
		}
		await timed('create source user', () => createUser(SOURCE_UID, keys));
		await timed('upload seed', () => uploadSeed(s3));
	} finally {
		s3.destroy();
	}
}

/** Removes the gateway users a cluster may have (their buckets and objects too). */
async function removeAllUsers(): Promise<void> {
	const users = await listUsers();
	await Promise.all([SOURCE_UID, FRESH_UID].filter((uid) => users.includes(uid)).map(removeUser));
}

async function sourceStore(): Promise<void> {
	await stopAppender();
	populateStore();
	startAppender();
}

/**
 * Back to the seeded source cluster: original gateway keys and objects, etcd
 * models published, router at the default body size, all units running on
 * this host, store populated with the log appender running, no faults.
 */
export async function makeSource(): Promise<void> {
	await toSource();
}

/** makeSource for up.ts, on a gateway that has just been created (saves listing its users). */
export async function initialSource(): Promise<void> {
	await toSource([]);
}

async function toSource(gatewayUsers?: string[]): Promise<void> {
	const env = readEnv();
	writeUnits(sourceUnits());
	clearFaults();
	setControllerVersion('old');
	await Promise.all([
		timed('source gateway', () => restoreSourceGateway(env.keys, env.objects, gatewayUsers)),
		timed('source store', sourceStore),
		timed('source etcd', async () => {
			await clearEtcdState();
			await Promise.all([publishKeys(env.keys), timed('publish models', publishSourceEtcd), timed('router apply', applyRouterConfig), seedPlatformSettings('source')]);
		}),
	]);
	setMode('source');
}

export interface FreshCluster {
	/** The new cluster's gateway keys, also published in etcd. */
	keys: GatewayKeys;
}

/**
 * A new cluster to restore into: a new gateway user with new keys and no
 * buckets (the source user and its data are gone), an empty store (appender
 * stopped), no model keys or bodySize in etcd, and no units installed.
 */
export async function makeFresh(): Promise<FreshCluster> {
	const keys = newKeys();
	writeUnits(freshUnits());
	clearFaults();
	setControllerVersion('old');
	await Promise.all([
		(async () => {
			await removeAllUsers();
			await createUser(FRESH_UID, keys);
		})(),
		(async () => {
			await stopAppender();
			emptyStore();
		})(),
		(async () => {
			await clearEtcdState();
			await Promise.all([publishKeys(keys), applyRouterConfig(), seedPlatformSettings('fresh')]);
		})(),
	]);
	setMode('fresh');
	return { keys };
}
