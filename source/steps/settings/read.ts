/**
 * One read of etcd's /deis on the host (`etcdctl -o json ls --recursive`),
 * every key with its value exactly as etcd holds it, and the platform's
 * release. A cluster whose etcd cannot be read gives a reason, not an error:
 * the data can still be saved without its settings.
 */
import { commands } from '../../cluster/commands.js';
import { lastLine } from '../../cluster/deisctl.js';
import type { RemoteHost } from '../../cluster/ssh.js';
import { messageOf } from '../../errors.js';
import { DEIS_ROOT } from './catalog.js';

export interface DeisTree {
	/** Every key that holds a value, full path → value. */
	values: Map<string, string>;
	/** Directories, for listings that name them as `etcdctl ls` does. */
	dirs: string[];
}

export type TreeRead = { ok: true; tree: DeisTree } | { ok: false; reason: string };

interface EtcdNode {
	key?: string;
	value?: string;
	dir?: boolean;
	nodes?: EtcdNode[] | null;
}

/** etcd v2's answer (`{"action":"get","node":{…}}`) as flat maps. */
export function parseTree(json: string): DeisTree {
	const answer = JSON.parse(json) as { node?: EtcdNode };
	const tree: DeisTree = { values: new Map(), dirs: [] };
	const walk = (node: EtcdNode, top: boolean) => {
		if (typeof node.key !== 'string') throw new Error('etcd node without a key');
		if (node.dir) {
			if (!top) tree.dirs.push(node.key);
			for (const child of node.nodes ?? []) walk(child, false);
		} else tree.values.set(node.key, typeof node.value === 'string' ? node.value : '');
	};
	if (answer.node) walk(answer.node, true);
	return tree;
}

export async function readDeisTree(host: RemoteHost): Promise<TreeRead> {
	let result;
	try {
		result = await host.run(commands.etcdTree(DEIS_ROOT));
	} catch (error) {
		return { ok: false, reason: messageOf(error) };
	}
	if (result.code !== 0) {
		// etcd's error 100: nothing was ever written under /deis.
		if (/\b100\b.*Key not found/i.test(result.stderr)) return { ok: true, tree: { values: new Map(), dirs: [] } };
		return { ok: false, reason: `etcdctl on ${host.label} failed: ${lastLine(result.stderr || result.stdout)}` };
	}
	try {
		return { ok: true, tree: parseTree(result.stdout) };
	} catch (error) {
		return { ok: false, reason: `etcdctl on ${host.label} answered something other than etcd's JSON (${messageOf(error)})` };
	}
}

export interface Release {
	version: string;
	source: 'etcd' | 'deis-release';
}

/** /deis/platform/version when the operator set it (upgrades do), else what the host was provisioned with. */
export async function readRelease(host: RemoteHost, tree: DeisTree | undefined): Promise<Release | undefined> {
	const set = tree?.values.get(`${DEIS_ROOT}/platform/version`)?.trim();
	if (set) return { version: set, source: 'etcd' };
	const result = await host.run(commands.deisRelease()).catch(() => undefined);
	const version = result?.code === 0 ? parseDeisRelease(result.stdout) : undefined;
	return version ? { version, source: 'deis-release' } : undefined;
}

/** `DEIS_RELEASE=v1.13.4` (an env file; quotes and comments allowed). */
export function parseDeisRelease(text: string): string | undefined {
	for (const line of text.split('\n')) {
		const match = /^\s*(?:export\s+)?DEIS_RELEASE\s*=\s*["']?([^"'\s#]+)/.exec(line);
		if (match) return match[1];
	}
	return undefined;
}
