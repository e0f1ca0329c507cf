/**
 * "Finishing up": make the controller write users' keys, apps, domains,
 * certificates and configs back to etcd. Later v1 controllers have
 * `manage.py load_db_state_to_etcd`; older ones get the procedure's re-save
 * script through `manage.py shell`, run through `docker exec` (the doc's
 * `nse` is interactive).
 */
import { commands, RESAVE_SCRIPT } from '../cluster/commands.js';
import type { Deisctl } from '../cluster/deisctl.js';
import { lastLine } from '../cluster/deisctl.js';
import type { RemoteHost } from '../cluster/ssh.js';
import { UserError } from '../errors.js';
import { locateComponent } from './locate.js';

/** The etcd directories the controller's models publish to. */
export const CONTROLLER_KEY_DIRS = ['/deis/builder/users', '/deis/services', '/deis/domains', '/deis/certs', '/deis/config'] as const;

export async function republishModels(host: RemoteHost, deisctl: Deisctl): Promise<{ method: 'load_db_state_to_etcd' | 'manage.py shell'; ip: string }> {
	const located = await locateComponent(host, deisctl, 'deis-controller');
	try {
		const etcd = `${located.ip}:4001`;
		const modern = (await located.host.run(commands.hasLoadDbState(etcd))).code === 0;
		const result = modern ? await located.host.run(commands.loadDbState(etcd)) : await located.host.run(commands.resaveModels(etcd), RESAVE_SCRIPT);
		if (result.code !== 0) {
			throw new UserError(`The controller on ${located.ip} could not re-write its data to etcd (exit ${result.code ?? 'none'}): ${lastLine(result.stderr || result.stdout)}.`);
		}
		return { method: modern ? 'load_db_state_to_etcd' : 'manage.py shell', ip: located.ip };
	} finally {
		if (located.owned) await located.host.close();
	}
}

/** Every key below the controller's directories, as etcdctl lists them. */
export async function listControllerKeys(host: RemoteHost): Promise<string[]> {
	// One listing of /deis, filtered here: one etcdctl on the host instead of one per directory.
	const result = await host.run(commands.etcdList('/deis'));
	// A cluster that never wrote anything under /deis has nothing to list (etcdctl exits non-zero).
	if (result.code !== 0) return [];
	return controllerKeysIn(result.stdout.split('\n').map((line) => line.trim()));
}

/** The keys and directories below the controller's directories, sorted as etcdctl lists them. */
export function controllerKeysIn(keys: Iterable<string>): string[] {
	const below = CONTROLLER_KEY_DIRS.map((dir) => `${dir}/`);
	return [...keys].filter((key) => below.some((prefix) => key.startsWith(prefix))).sort();
}
