/**
 * Forks the gateway child (child.ts / child.js beside this file) and waits
 * for its port. Works from the TypeScript sources under tsx and from tsc's
 * output in dist/.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface GatewayProcess {
	/** s3rver's own port (the router proxies to it). */
	port: number;
	pid: number;
	stop(): Promise<void>;
}

export async function startGatewayProcess(opts: { directory: string; accessKey: string; secretKey: string }): Promise<GatewayProcess> {
	const fromSource = import.meta.url.endsWith('.ts');
	const entry = fileURLToPath(new URL(fromSource ? './child.ts' : './child.js', import.meta.url));
	// tsx is resolved from here, so the child loads it whatever the working directory
	const execArgv = ['--openssl-legacy-provider', ...(fromSource ? ['--import', import.meta.resolve('tsx')] : [])];
	const child = fork(entry, [JSON.stringify(opts)], {
		execArgv,
		stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
	});
	let stderr = '';
	child.stderr?.on('data', (c: Buffer) => {
		stderr = (stderr + c.toString()).slice(-4000);
	});

	const port = await new Promise<number>((resolve, reject) => {
		const onExit = (code: number | null) => reject(new Error(`demo store gateway exited (${code}) before it was ready\n${stderr}`));
		child.once('exit', onExit);
		child.once('error', reject);
		child.on('message', (m: { type?: string; port?: number; message?: string }) => {
			if (m.type === 'ready' && typeof m.port === 'number') {
				child.off('exit', onExit);
				resolve(m.port);
			} else if (m.type === 'error') reject(new Error(`demo store gateway: ${m.message}`));
		});
	});

	return { port, pid: child.pid ?? -1, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		child.once('exit', () => resolve());
		child.kill('SIGTERM');
	});
}
