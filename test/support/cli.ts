/**
 * Runs the compiled binary the way an operator's script would: no terminal,
 * output captured, exit code returned.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface CliResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000, cwd?: string): Promise<CliResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

/** The connection flags for a ConnectionSettings-like object. */
export function connectionFlags(c: { host: string; port: number; user: string; identity?: string; knownHosts?: string; domain: string; storeEndpoint?: string }): string[] {
	return [
		'--host', c.host,
		'--port', String(c.port),
		'--user', c.user,
		...(c.identity ? ['--identity', c.identity] : []),
		...(c.knownHosts ? ['--known-hosts', c.knownHosts] : []),
		'--domain', c.domain,
		...(c.storeEndpoint ? ['--store-endpoint', c.storeEndpoint] : []),
	];
}
