/** Small host commands: hostname, nse, cat of /etc/deis-release. */
import type { Handler } from './types.js';
import { write } from './types.js';

export const hostname: Handler = async (exec, host) => {
	const flag = exec.argv[1];
	if (flag === undefined) await write(exec.stdout, `${host.hostname}\n`);
	// hostname -I lists addresses space-separated, with a trailing space
	else if (flag === '-I' || flag === '--all-ip-addresses') await write(exec.stdout, `${host.hostIp} \n`);
	else {
		await write(exec.stderr, `hostname: invalid option -- '${flag.replace(/^-+/, '')}'\n`);
		return 1;
	}
	return 0;
};

/** nse enters a container's namespaces for an interactive shell; the procedure types into it by hand. */
export const nse: Handler = async (exec) => {
	const container = exec.argv[1] ?? '';
	await write(
		exec.stdout,
		`nse: interactive helper; on a real host it opens a shell inside ${container || 'a container'}.\n` +
			'The demo host has no container shells: use `docker exec` instead.\n',
	);
	return 0;
};

/** Only the file a Deis host is provisioned with; anything else is not there. */
export const cat: Handler = async (exec, host) => {
	const path = exec.argv[1] ?? '';
	if (path === '/etc/deis-release' && exec.argv.length === 2) {
		await write(exec.stdout, `DEIS_RELEASE=${host.release}\n`);
		return 0;
	}
	await write(exec.stderr, `cat: ${path}: No such file or directory\n`);
	return 1;
};
