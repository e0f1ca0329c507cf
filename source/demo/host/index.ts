/**
 * The demo host's command table: argv[0] → handler, `sudo` → root. As on a
 * CoreOS host of Deis v1, deisctl is /opt/bin/deisctl, which only a login
 * shell's PATH holds, and nse is a profile.d function only login shells have.
 */
import { deisctl } from './deisctl.js';
import { docker } from './docker.js';
import { etcdctl } from './etcdctl.js';
import { find } from './find.js';
import { cat, hostname, nse } from './misc.js';
import { tar } from './tar.js';
import type { Exec, Handler, HostState } from './types.js';
import { write } from './types.js';

/** On every PATH (/usr/bin). */
const COMMANDS: Record<string, Handler> = { cat, docker, etcdctl, find, hostname, tar };
/** Found by their full path from anywhere, by name only from a login shell. */
const OPT_BIN: Record<string, Handler> = { deisctl };
/** Shell functions from /etc/profile.d: login shells only, never by a path. */
const LOGIN_FUNCTIONS: Record<string, Handler> = { nse };

const own = (table: Record<string, Handler>, key: string) => (Object.hasOwn(table, key) ? table[key] : undefined);

/** sudo's secure_path has no /opt/bin, and sudo runs programs, never the caller's functions. */
function lookup(name: string, login: boolean, sudo: boolean): Handler | undefined {
	if (name.startsWith('/opt/bin/')) return own(OPT_BIN, name.slice('/opt/bin/'.length));
	if (name.startsWith('/usr/bin/')) return own(COMMANDS, name.slice('/usr/bin/'.length));
	if (name.includes('/')) return undefined;
	if (sudo || !login) return own(COMMANDS, name);
	return own(LOGIN_FUNCTIONS, name) ?? own(COMMANDS, name) ?? own(OPT_BIN, name);
}

export async function runCommand(exec: Exec, host: HostState): Promise<number> {
	let argv = exec.argv;
	let root = exec.root;
	const sudo = argv[0] === 'sudo';
	if (sudo) {
		argv = argv.slice(1);
		root = true;
		if (argv[0]?.startsWith('-')) {
			await write(exec.stderr, 'demo host: sudo options are not supported outside containers\n');
			return 1;
		}
		if (argv.length === 0) {
			await write(exec.stderr, 'usage: sudo command\n');
			return 1;
		}
	}
	const name = argv[0]!;
	const handler = lookup(name, exec.login, sudo);
	if (!handler) {
		const why = name.includes('/') ? 'No such file or directory' : 'command not found';
		await write(exec.stderr, `${sudo ? 'sudo' : 'bash'}: ${name}: ${why}\n`);
		return 127;
	}
	return handler({ ...exec, argv, root }, host);
}
