/**
 * etcdctl (v2) against the demo's in-memory etcd: ls (also `-o json`, with
 * values), get, and set (the value as an argument, or on stdin when it is
 * absent, as etcdctl 2.x reads it).
 */
import { EtcdError } from '../etcd.js';
import type { DemoEtcd } from '../etcd.js';
import type { Handler } from './types.js';
import { readAll, write } from './types.js';

interface JsonNode {
	key: string;
	dir?: true;
	value?: string;
	nodes?: JsonNode[];
}

/** etcd v2's node tree, as `etcdctl -o json ls --recursive` prints it. */
function tree(etcd: DemoEtcd, key: string): JsonNode {
	if (!etcd.isDir(key)) return { key, value: etcd.get(key) ?? '' };
	const below = etcd.ls(key, false);
	return { key, dir: true, nodes: below.map((child) => tree(etcd, child)) };
}

export const etcdctl: Handler = async (exec, host) => {
	const args = exec.argv.slice(1);
	let output = 'simple';
	while (args[0] === '-o' || args[0] === '--output') {
		args.shift();
		output = args.shift() ?? '';
	}
	const verb = args.shift();
	const recursive = args.includes('--recursive') || args.includes('-r');
	const positional = args.filter((a) => !a.startsWith('-'));
	try {
		switch (verb) {
			case 'ls': {
				if (output === 'json') {
					const dir = positional[0] ?? '/';
					if (!host.etcd.has(dir)) throw new EtcdError(100, dir, `Key not found (${dir})`);
					await write(exec.stdout, `${JSON.stringify({ action: 'get', node: tree(host.etcd, dir) })}\n`);
					return 0;
				}
				const keys = host.etcd.ls(positional[0] ?? '/', recursive);
				if (keys.length) await write(exec.stdout, keys.join('\n') + '\n');
				return 0;
			}
			case 'get': {
				const key = positional[0] ?? '';
				if (host.etcd.isDir(key)) throw new EtcdError(102, key, `Not a file (${key})`);
				const v = host.etcd.get(key);
				if (v === undefined) throw new EtcdError(100, key, `Key not found (${key})`);
				await write(exec.stdout, v + '\n');
				return 0;
			}
			case 'set': {
				const [key, given] = positional;
				if (key === undefined) break;
				const value = given ?? (await readAll(exec.stdin));
				if (value === '' && given === undefined) {
					await write(exec.stderr, 'Error:  no value given\n');
					return 1;
				}
				host.etcd.set(key, value);
				await write(exec.stdout, value + '\n');
				return 0;
			}
		}
	} catch (e) {
		if (!(e instanceof EtcdError)) throw e;
		// etcdctl v2's form: code, message, etcd index
		await write(exec.stderr, `Error:  ${e.code}: ${e.message} [1]\n`);
		return 4;
	}
	await write(exec.stderr, `demo host: etcdctl supports ls, get and set\n`);
	return 1;
};
