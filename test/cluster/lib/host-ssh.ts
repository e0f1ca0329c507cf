/**
 * Running a command on the cluster host the way deis-backup does: the system
 * ssh client, the generated key, strict host key checking against our
 * known_hosts file.
 */
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import type { ClusterEnv } from './env-file.js';

export interface HostResult {
	code: number;
	stdout: Buffer;
	stderr: string;
}

const quote = (arg: string) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`);

/** ssh's own arguments (without the command) for this cluster. */
export function sshArgs(env: ClusterEnv): string[] {
	return [
		'-p', String(env.port),
		'-i', env.identity,
		'-o', `UserKnownHostsFile=${env.knownHosts}`,
		'-o', 'StrictHostKeyChecking=yes',
		'-o', 'IdentitiesOnly=yes',
		'-o', 'BatchMode=yes',
		'-o', 'LogLevel=ERROR',
		`${env.user}@${env.host}`,
	];
}

/**
 * Connection sharing for the tests' many short commands: one handshake, then
 * ~10 ms per command. The master exits 30 s after its last session, or when sshd stops.
 */
function multiplexArgs(env: ClusterEnv): string[] {
	return ['-o', 'ControlMaster=auto', '-o', `ControlPath=${dirname(env.identity)}/mux-%C`, '-o', 'ControlPersist=30'];
}

/** Runs argv (quoted for the remote shell) or a shell command string on the host. */
export function runOnHost(env: ClusterEnv, command: readonly string[] | string, input?: string | Buffer): Promise<HostResult> {
	const remote = typeof command === 'string' ? command : command.map(quote).join(' ');
	return new Promise((resolvePromise, reject) => {
		const child = spawn('ssh', [...multiplexArgs(env), ...sshArgs(env), remote], { stdio: ['pipe', 'pipe', 'pipe'] });
		const out: Buffer[] = [];
		let err = '';
		child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
		child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
		child.on('error', reject);
		child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout: Buffer.concat(out), stderr: err }));
		child.stdin.on('error', () => {});
		child.stdin.end(input);
	});
}
