/**
 * etcdctl (v2) against the demo's in-memory etcd: ls, get, set.
 */
import { EtcdError } from '../etcd.js';
import type { Handler } from './types.js';
import { write } from './types.js';

export const etcdctl: Handler = async (exec, host) => {
	const args = exec.argv.slice(1);
	const verb = args.shift();
	const recursive = args.includes('--recursive') || args.includes('-r');
	const positional = args.filter((a) => !a.startsWith('-'));
	try {
		switch (verb) {
			case 'ls': {
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
				const [key, value] = positional;
				if (key === undefined || value === undefined) break;
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
