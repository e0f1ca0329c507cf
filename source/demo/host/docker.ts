/**
 * `docker exec` into the two containers the procedure touches: deis-database
 * (pg_dumpall) and deis-controller (manage.py). A container exists only while
 * its unit runs, and the controller needs the database.
 *
 * It is Docker 1.12's exec, the newest a Deis v1 CoreOS host runs: only -d -i
 * -t -u --privileged --detach-keys; -e/--env (Docker 1.13) and -w fail with
 * exit 125. The exec'd process gets the image's environment, so the controller
 * has no ETCD unless the command sets it: `env ETCD=<host ip>:4001 /app/manage.py …`.
 */
import { Readable, Writable } from 'node:stream';
import { saveAll, publishAll, ALL_MODELS } from '../controller.js';
import type { ModelName } from '../controller.js';
import { DemoEtcd } from '../etcd.js';
import { pgDumpAll } from '../pg-dump.js';
import type { Exec, Handler, HostState } from './types.js';
import { readAll, write } from './types.js';

export const docker: Handler = async (exec, host) => {
	const [, sub, ...rest] = exec.argv;
	if (sub !== 'exec') {
		await write(exec.stderr, `docker: '${sub ?? ''}' is not supported on the demo host.\n`);
		return 1;
	}
	const flags = parseExecFlags(rest);
	if ('undefined' in flags) {
		await write(exec.stderr, `flag provided but not defined: ${flags.undefined}\nSee 'docker exec --help'.\n`);
		return 125;
	}
	const i = flags.next;
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
	const inner: Exec = { ...exec, argv, env: { PATH: CONTAINER_PATH, HOME: '/root', HOSTNAME: container } };
	if (flags.detach) {
		// detached: nothing attached to the caller, who gets exit 0 at once
		const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });
		void inContainer({ ...inner, stdin: Readable.from([]), stdout: discard(), stderr: discard() }, host, component).catch(() => {});
		return 0;
	}
	return inContainer(inner, host, component);
};

const CONTAINER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Docker 1.12's flag parsing (mflag): where the container name starts, or the first flag it does not define. */
export function parseExecFlags(args: readonly string[]): { next: number; detach: boolean } | { undefined: string } {
	let detach = false;
	let i = 0;
	for (; i < args.length; i++) {
		const a = args[i]!;
		if (a === '--') return { next: i + 1, detach };
		if (!a.startsWith('-') || a === '-') break;
		if (a.startsWith('--')) {
			const [name, value] = [a.slice(2).split('=')[0]!, a.includes('=') ? a.slice(a.indexOf('=') + 1) : undefined];
			if (name === 'detach') detach = value === undefined || value === 'true';
			else if (name === 'user' || name === 'detach-keys') {
				if (value === undefined) i++;
			} else if (name !== 'interactive' && name !== 'tty' && name !== 'privileged') return { undefined: `--${name}` };
			continue;
		}
		// a group of one-letter flags (-it); -u takes the rest of the group or the next word
		for (let j = 1; j < a.length; j++) {
			const letter = a[j]!;
			if (letter === 'd') detach = true;
			else if (letter === 'u') {
				if (j === a.length - 1) i++;
				break;
			} else if (letter !== 'i' && letter !== 't') return { undefined: `-${letter}` };
		}
	}
	return { next: i, detach };
}

/** Runs a command line inside a container, after coreutils `env` if it starts with one. */
async function inContainer(exec: Exec, host: HostState, component: string): Promise<number> {
	if (exec.argv[0] === 'env' || exec.argv[0] === '/usr/bin/env') {
		const parsed = parseEnv(exec.argv.slice(1), exec.env);
		if ('error' in parsed) {
			await write(exec.stderr, `env: ${parsed.error}\nTry 'env --help' for more information.\n`);
			return 125;
		}
		if (parsed.argv.length === 0) {
			await write(exec.stdout, Object.entries(parsed.env).map(([k, v]) => `${k}=${v}\n`).join(''));
			return 0;
		}
		return inContainer({ ...exec, argv: parsed.argv, env: parsed.env }, host, component);
	}
	return component === 'database' ? database(exec, host) : controller(exec, host);
}

/** coreutils env: [-i] [-u NAME] [--] [NAME=VALUE]... [COMMAND [ARG]...] */
export function parseEnv(args: readonly string[], start: Record<string, string>): { env: Record<string, string>; argv: string[] } | { error: string } {
	let env = { ...start };
	let i = 0;
	for (; i < args.length; i++) {
		const a = args[i]!;
		if (a === '-i' || a === '--ignore-environment' || a === '-') env = {};
		else if (a === '-u' || a === '--unset') {
			const name = args[++i];
			if (name === undefined) return { error: "option requires an argument -- 'u'" };
			delete env[name];
		} else if (a.startsWith('--unset=')) delete env[a.slice('--unset='.length)];
		else if (a.startsWith('-u')) delete env[a.slice(2)];
		else if (a === '--') {
			i++;
			break;
		} else if (a.startsWith('-')) return { error: `invalid option -- '${a.slice(1)}'` };
		else break;
	}
	for (; i < args.length && args[i]!.includes('='); i++) {
		const a = args[i]!;
		const eq = a.indexOf('=');
		if (eq === 0) return { error: `cannot set '${a}': Invalid argument` };
		env[a.slice(0, eq)] = a.slice(eq + 1);
	}
	return { env, argv: args.slice(i) };
}

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
		const etcd = await connectEtcd(exec, host);
		await write(exec.stdout, 'Publishing DB state to etcd...\n');
		publishAll(host.model, etcd);
		await write(exec.stdout, 'Done Publishing DB state to etcd.\n');
		return 0;
	}
	if (sub === 'shell') return shell(exec, host);
	await write(exec.stderr, `Unknown command: '${sub ?? ''}'\nType 'manage.py help' for usage.\n`);
	return 1;
}

/**
 * Where the controller's saves go. Deis v1's api/models.py connects its etcd
 * handlers only when etcd answers at $ETCD (default 127.0.0.1:4001, which in a
 * container is the container itself): otherwise it logs a warning and every
 * save publishes nothing, and manage.py still exits 0. Only this host's
 * address on port 4001 reaches etcd.
 */
async function connectEtcd(exec: Exec, host: HostState): Promise<DemoEtcd> {
	const etcd = (exec.env['ETCD'] ?? '').split(',')[0];
	if (etcd === `${host.hostIp}:4001`) return host.etcd;
	await write(exec.stderr, 'WARNING Cannot synchronize with etcd cluster\n');
	return new DemoEtcd();
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
	const etcd = await connectEtcd(exec, host);
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
			const n = saveAll(host.model, etcd, model);
			await write(exec.stdout, `[${Array(n).fill('None').join(', ')}]\n`);
			continue;
		}
		await write(exec.stderr, `  File "<console>", line 1\n    ${line}\n    ^\nSyntaxError: the demo controller's shell only runs the procedure's re-save lines\n`);
	}
	return 0;
}
