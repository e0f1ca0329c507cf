/**
 * Gateway (radosgw) users and their keys. The keys a cluster uses are the
 * ones published in etcd, where `deisctl config store get gateway/...` reads them.
 */
import { randomInt } from 'node:crypto';
import { radosgwAdmin } from './ceph.js';
import { etcdSet } from './etcd.js';
import { LOOPBACK, ports } from './paths.js';
import type { GatewayKeys } from './s3.js';

export const SOURCE_UID = 'deis';
export const FRESH_UID = 'deis-fresh';

function randomString(alphabet: string, length: number): string {
	let out = '';
	for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
	return out;
}

/** Keys shaped like the ones Deis' store-gateway generates (AWS-style). */
export function newKeys(): GatewayKeys {
	return {
		accessKey: randomString('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 20),
		secretKey: randomString('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 40),
	};
}

export async function createUser(uid: string, keys: GatewayKeys): Promise<void> {
	await radosgwAdmin('user', 'create', `--uid=${uid}`, `--display-name=${uid}`, `--access-key=${keys.accessKey}`, `--secret-key=${keys.secretKey}`);
}

/** The gateway's users (one radosgw-admin call: each costs ~0.25 s). */
export async function listUsers(): Promise<string[]> {
	return JSON.parse((await radosgwAdmin('user', 'list')).stdout) as string[];
}

/** Deletes the user and every bucket and object it owns. */
export async function removeUser(uid: string): Promise<void> {
	await radosgwAdmin('user', 'rm', `--uid=${uid}`, '--purge-data');
}

export async function publishKeys(keys: GatewayKeys): Promise<void> {
	await Promise.all([
		etcdSet('/deis/store/gateway/accessKey', keys.accessKey),
		etcdSet('/deis/store/gateway/secretKey', keys.secretKey),
		etcdSet('/deis/store/gateway/host', LOOPBACK),
		etcdSet('/deis/store/gateway/port', String(ports.gateway)),
	]);
}
