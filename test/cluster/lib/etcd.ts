/**
 * etcd with the v2 API, as on a Deis v1 host (clients use port 4001), and a
 * tiny v2 HTTP client for the harness and the tests.
 */
import { mkdirSync } from 'node:fs';
import { LOOPBACK, paths, ports } from './paths.js';
import { logFile, startDaemon, waitFor } from './proc.js';

export const ETCD_URL = `http://${LOOPBACK}:${ports.etcd}`;

export async function startEtcd(): Promise<void> {
	mkdirSync(paths.etcdData, { recursive: true, mode: 0o700 });
	const peer = `http://${LOOPBACK}:${ports.etcdPeer}`;
	startDaemon('etcd', [
		'etcd',
		'--name=deis-test',
		'--enable-v2',
		`--data-dir=${paths.etcdData}`,
		`--listen-client-urls=http://${LOOPBACK}:${ports.etcdAlt},${ETCD_URL}`,
		`--advertise-client-urls=${ETCD_URL}`,
		`--listen-peer-urls=${peer}`,
		`--initial-advertise-peer-urls=${peer}`,
		`--initial-cluster=deis-test=${peer}`,
		'--log-level=warn',
	]);
	await waitFor('etcd', async () => (await fetch(`${ETCD_URL}/v2/keys/`)).ok, 15000, logFile('etcd'));
}

interface EtcdNode {
	key: string;
	value?: string;
	dir?: boolean;
	nodes?: EtcdNode[];
}

function keyUrl(key: string, query = ''): string {
	const path = key.split('/').filter(Boolean).map(encodeURIComponent).join('/');
	return `${ETCD_URL}/v2/keys/${path}${query}`;
}

/** The value of a key, or undefined when it is unset. */
export async function etcdGet(key: string): Promise<string | undefined> {
	const res = await fetch(keyUrl(key));
	if (res.status === 404) return undefined;
	if (!res.ok) throw new Error(`etcd get ${key}: HTTP ${res.status}`);
	const body = (await res.json()) as { node: EtcdNode };
	return body.node.value;
}

export async function etcdSet(key: string, value: string): Promise<void> {
	const res = await fetch(keyUrl(key), { method: 'PUT', body: new URLSearchParams({ value }) });
	if (!res.ok) throw new Error(`etcd set ${key}: HTTP ${res.status} ${await res.text()}`);
}

/** Removes a key or a whole directory; no error when it does not exist. */
export async function etcdRemove(key: string): Promise<void> {
	const res = await fetch(keyUrl(key, '?recursive=true'), { method: 'DELETE' });
	if (!res.ok && res.status !== 404) throw new Error(`etcd rm ${key}: HTTP ${res.status}`);
}

/** Every key below `dir` (recursive, directories included), sorted, like `etcdctl ls --recursive`. */
export async function etcdList(dir: string): Promise<string[]> {
	const res = await fetch(keyUrl(dir, '?recursive=true'));
	if (res.status === 404) return [];
	if (!res.ok) throw new Error(`etcd ls ${dir}: HTTP ${res.status}`);
	const body = (await res.json()) as { node: EtcdNode };
	const keys: string[] = [];
	const walk = (node: EtcdNode) => {
		for (const child of node.nodes ?? []) {
			keys.push(child.key);
			walk(child);
		}
	};
	walk(body.node);
	return keys.sort();
}
