/**
 * `docker exec` into the two containers the procedure touches: deis-database
 * (pg_dumpall) and deis-controller (manage.py). A container exists only while
 * its unit runs, and the controller needs the database.
 */
import { saveAll, publishAll, ALL_MODELS } from '../controller.js';
import type { ModelName } from '../controller.js';
import { pgDumpAll } from '../pg-dump.js';
import type { Exec, Handler, HostState } from './types.js';
import { readAll, write } from './types.js';

export const docker: Handler = async (exec, host) => {
	const [, sub, ...rest] = exec.argv;
	if (sub !== 'exec') {
		await write(exec.stderr, `docker: '${sub ?? ''}' is not supported on the demo host.\n`);
		return 1;
	}
	const env: Record<string, string> = {};
	let i = 0;
	for (; i < rest.length; i++) {
		const a = rest[i]!;
		if (a === '-i' || a === '-t' || a === '-it' || a === '--interactive') continue;
		if (a === '-e' || a === '--env') {
			const kv = rest[++i] ?? '';
			const eq = kv.indexOf('=');
			if (eq > 0) env[kv.slice(0, eq)] = kv.slice(eq + 1);
			continue;
		}
		if (a.startsWith('-')) {
			await write(exec.stderr, `unknown flag: ${a}\n`);
			return 125;
		}
		break;
	}
	const container = rest[i];
	const argv = rest.slice(i + 1);
	if (!container || argv.length === 0) {
		await write(exec.stderr, '"docker exec" requires at least 2 arguments.\n');
		return 1;
	}
	const component = /^deis-(database|controller)$/.exec(container)?.[1];
	if (!component || !host.units.isRunning(component)) {
		await write(exec.stderr, `Error response from daemon: No such container: ${container}\n`);
		return 1;
	}
	const inner: Exec = { ...exec, argv, env: { ...exec.env, ...env } };
	return component === 'database' ? database(inner, host) : controller(inner, host);
};

async function database(exec: Exec, host: HostState): Promise<number> {
	const argv = exec.argv.join(' ');
	if (argv === 'sudo -u postgres pg_dumpall') {
		await write(exec.stdout, pgDumpAll(host.model));
		return 0;
	}
	if (argv === 'pg_dumpall') {
		// docker exec runs as root, and PostgreSQL has no role of that name
		await write(
			exec.stderr,
			'pg_dumpall: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  role "root" does not exist\n',
		);
		return 1;
	}
	await write(exec.stderr, `exec: "${exec.argv[0]}": not supported in the demo's deis-database\n`);
	return 126;
}

async function controller(exec: Exec, host: HostState): Promise<number> {
	const [cmd, sub, arg] = exec.argv;
	if (cmd !== '/app/manage.py' && cmd !== './manage.py') {
		await write(exec.stderr, `exec: "${cmd}": not supported in the demo's deis-controller\n`);
		return 126;
	}
	const hasLoad = host.controllerRelease === 'later';
	if (sub === 'help' && arg === 'load_db_state_to_etcd') {
		if (!hasLoad) {
			await write(exec.stderr, "Unknown command: 'load_db_state_to_etcd'\nType 'manage.py help' for usage.\n");
			return 1;
		}
		await write(exec.stdout, 'Usage: /app/manage.py load_db_state_to_etcd [options]\n\nWrites the state of the database to etcd.\n');
		return 0;
	}
	if (sub === 'load_db_state_to_etcd' && hasLoad) {
		const refused = await checkEtcd(exec, host);
		if (refused !== undefined) return refused;
		await write(exec.stdout, 'Publishing DB state to etcd...\n');
		publishAll(host.model, host.etcd);
		await write(exec.stdout, 'Done Publishing DB state to etcd.\n');
		return 0;
	}
	if (sub === 'shell') return shell(exec, host);
	await write(exec.stderr, `Unknown command: '${sub ?? ''}'\nType 'manage.py help' for usage.\n`);
	return 1;
}

/** The controller talks to etcd at $ETCD; anything but this host's etcd is unreachable. */
async function checkEtcd(exec: Exec, host: HostState): Promise<number | undefined> {
	const etcd = exec.env['ETCD'] ?? `${host.hostIp}:4001`;
	if (etcd === `${host.hostIp}:4001`) return undefined;
	await write(
		exec.stderr,
		'Traceback (most recent call last):\n  File "/app/manage.py", line 10, in <module>\n' +
			`etcd.EtcdConnectionFailed: Connection to etcd failed due to MaxRetryError("HTTPConnectionPool(host='${etcd.split(':')[0]}', port=${etcd.split(':')[1] ?? '4001'}): Max retries exceeded")\n`,
	);
	return 1;
}

const SAVE_LINE = /^\[(\w+)\.save\(\) for \1 in (\w+)\.objects\.all\(\)\]$/;

/**
 * Django's `manage.py shell` reading a script from stdin: a Python console that
 * runs each line, echoes expression values and prints tracebacks on errors —
 * and, like the real one, still exits 0. The demo understands the procedure's
 * re-save lines only.
 */
async function shell(exec: Exec, host: HostState): Promise<number> {
	const script = await readAll(exec.stdin);
	const refused = await checkEtcd(exec, host);
	if (refused !== undefined) return refused;
	let imported = false;
	for (const raw of script.split('\n')) {
		const line = raw.trim();
		if (line === '') continue;
		if (line === 'from api.models import *') {
			imported = true;
			continue;
		}
		const m = SAVE_LINE.exec(line);
		const model = m?.[2] as ModelName | undefined;
		if (m && model && (ALL_MODELS as readonly string[]).includes(model)) {
			if (!imported) {
				await write(exec.stderr, `Traceback (most recent call last):\n  File "<console>", line 1, in <module>\nNameError: name '${model}' is not defined\n`);
				continue;
			}
			const n = saveAll(host.model, host.etcd, model);
			await write(exec.stdout, `[${Array(n).fill('None').join(', ')}]\n`);
			continue;
		}
		await write(exec.stderr, `  File "<console>", line 1\n    ${line}\n    ^\nSyntaxError: the demo controller's shell only runs the procedure's re-save lines\n`);
	}
	return 0;
}
