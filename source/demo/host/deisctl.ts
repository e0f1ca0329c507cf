/**
 * deisctl: etcd-backed config, and the fleet units of the platform.
 */
import { EtcdError } from '../etcd.js';
import { componentOf, UnitError } from '../units.js';
import type { Exec, Handler, HostState } from './types.js';
import { write } from './types.js';

const SCALABLE = new Set(['router', 'registry', 'store-gateway']);

export const deisctl: Handler = async (exec, host) => {
	const [, verb, ...rest] = exec.argv;
	const err = async (msg: string, code = 1) => {
		await write(exec.stderr, `${msg}\n`);
		return code;
	};
	try {
		switch (verb) {
			case 'config':
				return await config(exec, host, rest);
			case 'list':
				await write(exec.stdout, host.units.table());
				return 0;
			case 'install': {
				if (rest.length === 0) return err('Usage: deisctl install [<target>...]');
				const out: string[] = [];
				for (const target of rest) for (const u of host.units.install(target)) out.push(`${u}: loaded`);
				if (rest.includes('platform')) out.push('Done.', '', 'Please run `deisctl start platform` to boot up Deis.');
				await write(exec.stdout, out.join('\n') + '\n');
				return 0;
			}
			case 'start':
			case 'stop': {
				if (rest.length === 0) return err(`Usage: deisctl ${verb} [<target>...]`);
				// resolve every target first: deisctl refuses the whole command on an unknown unit
				const names = rest.flatMap((t) => host.units.resolve(t));
				const ordered = verb === 'stop' ? [...names].reverse() : names;
				const out: string[] = [];
				for (const u of ordered) {
					if (verb === 'start') {
						host.units.start(u);
						onStarted(host, componentOf(u));
						out.push(`${u}: activating/start-pre`, `${u}: active/running`);
					} else {
						host.units.stop(u);
						out.push(`${u}: deactivating/stop-sigterm`, `${u}: inactive/dead`);
					}
				}
				if (rest.includes('platform')) out.push('Done.');
				await write(exec.stdout, out.join('\n') + '\n');
				return 0;
			}
			case 'scale': {
				const m = /^([a-z-]+)=(\d+)$/.exec(rest[0] ?? '');
				if (!m || rest.length !== 1) return err('Usage: deisctl scale [<component>=<num>...]');
				const component = m[1]!;
				if (!SCALABLE.has(component)) return err(`Error: cannot scale ${component} component`);
				host.units.scale(component, Number(m[2]));
				onStarted(host, component);
				return 0;
			}
			default:
				return err(`Usage: deisctl <command> [<args>...]\nUnknown deisctl command: ${verb ?? ''}`, 1);
		}
	} catch (e) {
		if (e instanceof UnitError || e instanceof EtcdError) return err(`Error: ${e.message}`);
		throw e;
	}
};

/** A started gateway publishes its generated keys, as Deis' store-gateway does on first boot. */
function onStarted(host: HostState, component: string): void {
	if (component !== 'store-gateway') return;
	if (host.etcd.get('/deis/store/gateway/accessKey') === undefined) {
		host.etcd.set('/deis/store/gateway/accessKey', host.gatewayKeys.accessKey);
		host.etcd.set('/deis/store/gateway/secretKey', host.gatewayKeys.secretKey);
	}
}

async function config(exec: Exec, host: HostState, args: string[]): Promise<number> {
	const [component, action, ...items] = args;
	if (!component || (action !== 'get' && action !== 'set') || items.length === 0) {
		await write(exec.stderr, 'Usage: deisctl config <component> get [<key>...]\n       deisctl config <component> set <key=val>...\n');
		return 1;
	}
	if (action === 'get') {
		const values: string[] = [];
		for (const key of items) {
			const path = `/deis/${component}/${key}`;
			const v = host.etcd.get(path);
			if (v === undefined) {
				await write(exec.stderr, `Error: 100: Key not found (${path})\n`);
				return 1;
			}
			values.push(v);
		}
		await write(exec.stdout, values.join('\n') + '\n');
		return 0;
	}
	const pairs: Array<[string, string]> = [];
	for (const item of items) {
		const eq = item.indexOf('=');
		if (eq <= 0) {
			await write(exec.stderr, `Error: expected <key>=<value>, got ${item}\n`);
			return 1;
		}
		pairs.push([item.slice(0, eq), item.slice(eq + 1)]);
	}
	for (const [k, v] of pairs) host.etcd.set(`/deis/${component}/${k}`, v);
	await write(exec.stdout, pairs.map(([, v]) => v).join('\n') + '\n');
	return 0;
}
