/**
 * `sudo find /var/lib/deis/store -type f -printf '%s %P\n'`, answered by walking
 * the demo's store folder. Directory order, unsorted, like find.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { STORE_PATH } from '../../deis.js';
import type { Handler } from './types.js';
import { write } from './types.js';

export const find: Handler = async (exec, host) => {
	const [, dir, ...expr] = exec.argv;
	if (dir !== STORE_PATH || expr.join('\0') !== ['-type', 'f', '-printf', '%s %P\\n'].join('\0')) {
		await write(exec.stderr, `demo host: find runs only as \`find ${STORE_PATH} -type f -printf '%s %P\\n'\`\n`);
		return 1;
	}
	if (!exec.root) {
		await write(exec.stderr, `find: '${STORE_PATH}/logs': Permission denied\n`);
		return 1;
	}
	let batch = '';
	const walk = async (abs: string, rel: string): Promise<void> => {
		for (const entry of await readdir(abs, { withFileTypes: true })) {
			const relPath = rel ? `${rel}/${entry.name}` : entry.name;
			if (entry.isDirectory()) await walk(join(abs, entry.name), relPath);
			else if (entry.isFile()) {
				batch += `${(await lstat(join(abs, entry.name))).size} ${relPath}\n`;
				if (batch.length > 32 * 1024) {
					await write(exec.stdout, batch);
					batch = '';
				}
			}
		}
	};
	await walk(host.storeDir, '');
	if (batch) await write(exec.stdout, batch);
	return 0;
};
