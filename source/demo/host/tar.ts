/**
 * `sudo tar` on the store volume: the machine's real tar, run on the demo's
 * store folder in place of /var/lib/deis/store and streamed over the channel.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { STORE_PATH } from '../../deis.js';
import type { Handler } from './types.js';
import { write } from './types.js';

/** Only stream modes on the store volume: the demo must never let tar touch other paths. */
const MODE = /^-[cxtpzvf]*f$/;
const FLAGS = new Set(['--same-owner', '--numeric-owner', '.']);

export const tar: Handler = async (exec, host) => {
	if (!exec.root) {
		await write(exec.stderr, 'tar: .: Cannot open: Permission denied\ntar: Error is not recoverable: exiting now\n');
		return 2;
	}
	const [, c, dir, mode, file, ...rest] = exec.argv;
	if (c !== '-C' || dir !== STORE_PATH || !mode || !MODE.test(mode) || file !== '-' || !rest.every((a) => FLAGS.has(a))) {
		await write(exec.stderr, `demo host: tar runs only as \`tar -C ${STORE_PATH} -<mode>f - [.] [--same-owner]\`\n`);
		return 2;
	}
	const creating = mode.includes('c');
	const isRoot = process.getuid?.() === 0;
	// without root, --same-owner only produces chown errors: the demo owns its files anyway
	const args = ['-C', host.storeDir, mode, '-', ...rest.filter((a) => isRoot || a !== '--same-owner')];

	const stopLiveLog = creating && host.mode === 'source' ? host.startLiveLog() : undefined;
	const child = spawn('tar', args, { stdio: ['pipe', 'pipe', 'pipe'], signal: exec.signal });
	child.on('error', () => {}); // reported through 'close' below
	child.stdin.on('error', () => {}); // tar may exit before reading all input; its status says why

	if (creating) child.stdin.end();
	else exec.stdin.pipe(child.stdin);
	child.stdout.pipe(exec.stdout, { end: false });
	// tar names paths relative to -C, but messages about the folder itself must not leak the demo's path
	child.stderr.on('data', (chunk: Buffer) => exec.stderr.write(chunk.toString().replaceAll(host.storeDir, STORE_PATH)));

	const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
	if (!creating) exec.stdin.unpipe(child.stdin);
	await stopLiveLog?.();
	return code ?? (signal ? 128 + 15 : 1);
};
