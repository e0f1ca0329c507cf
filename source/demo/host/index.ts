/**
 * The demo host's command table: argv[0] → handler, `sudo` → root.
 */
import { deisctl } from './deisctl.js';
import { docker } from './docker.js';
import { etcdctl } from './etcdctl.js';
import { find } from './find.js';
import { cat, hostname, nse } from './misc.js';
import { tar } from './tar.js';
import type { Exec, Handler, HostState } from './types.js';
import { write } from './types.js';

const COMMANDS: Record<string, Handler> = { cat, deisctl, docker, etcdctl, find, hostname, nse, tar };

export async function runCommand(exec: Exec, host: HostState): Promise<number> {
	let argv = exec.argv;
	let root = exec.root;
	if (argv[0] === 'sudo') {
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
	const handler = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
	if (!handler) {
		await write(exec.stderr, `bash: ${name}: command not found\n`);
		return 127;
	}
	return handler({ ...exec, argv, root }, host);
}
