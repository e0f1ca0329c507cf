/**
 * Helpers for the demo cluster's tests: an SSH client that checks the host key
 * against the cluster's known_hosts the way the tool must, a binary-safe
 * command runner, and an S3 client set up like the tool's.
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeSSH } from 'node-ssh';
import { quoteCommand } from '../../source/util/shell-quote.js';
import type { ConnectionSettings } from '../../source/settings.js';
import { v2Signer } from '../cluster/lib/sigv2.js';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';

/** The host key blob recorded for `[host]:port` in a known_hosts file. */
export function knownHostKey(settings: ConnectionSettings): Buffer | undefined {
	const want = `[${settings.host}]:${settings.port}`;
	for (const line of readFileSync(settings.knownHosts!, 'utf8').split('\n')) {
		const [hosts, , b64] = line.trim().split(/\s+/);
		if (hosts?.split(',').includes(want) && b64) return Buffer.from(b64, 'base64');
	}
	return undefined;
}

export async function connect(settings: ConnectionSettings, overrides: { privateKeyPath?: string; username?: string; knownHostsFrom?: ConnectionSettings } = {}): Promise<NodeSSH> {
	const expected = knownHostKey(overrides.knownHostsFrom ?? settings);
	const ssh = new NodeSSH();
	await ssh.connect({
		host: settings.host,
		port: settings.port,
		username: overrides.username ?? settings.user,
		privateKeyPath: overrides.privateKeyPath ?? settings.identity!,
		hostVerifier: (key: Buffer) => expected !== undefined && key.equals(expected),
		readyTimeout: 10_000,
	});
	return ssh;
}

export interface RunResult {
	code: number | null;
	stdout: Buffer;
	stderr: string;
	/** Output that arrived after the exit status: a host must send the status last. */
	outputAfterExit: boolean;
}

/** Runs a command string (or argv, quoted like the tool) and collects raw output. */
export function run(ssh: NodeSSH, command: readonly string[] | string, stdin?: Buffer | string | Readable): Promise<RunResult> {
	const text = typeof command === 'string' ? command : quoteCommand(command);
	return new Promise((resolve, reject) => {
		ssh.connection!.exec(text, (err, channel) => {
			if (err) return reject(err);
			const out: Buffer[] = [];
			let stderr = '';
			let code: number | null = null;
			let exited = false;
			let outputAfterExit = false;
			channel.on('data', (c: Buffer) => {
				outputAfterExit ||= exited;
				out.push(c);
			});
			channel.stderr.on('data', (c: Buffer) => {
				outputAfterExit ||= exited;
				stderr += c.toString();
			});
			channel.on('exit', (c: number | null) => {
				exited = true;
				code = c;
			});
			channel.on('close', () => resolve({ code, stdout: Buffer.concat(out), stderr, outputAfterExit }));
			if (stdin === undefined) channel.end();
			else if (stdin instanceof Readable) stdin.pipe(channel);
			else channel.end(stdin);
		});
	});
}

/** Signed v2 unless told otherwise: the demo's gateway is a Deis v1 one, which answers v4 with 400. */
export function s3For(settings: ConnectionSettings, keys: { accessKey: string; secretKey: string }, signature: 'v2' | 'v4' = 'v2'): S3Client {
	return new S3Client({
		...(signature === 'v2' ? { signer: v2Signer(keys) } : {}),
		endpoint: settings.storeEndpoint!,
		region: 'us-east-1',
		forcePathStyle: true,
		requestChecksumCalculation: 'WHEN_REQUIRED',
		responseChecksumValidation: 'WHEN_REQUIRED',
		credentials: { accessKeyId: keys.accessKey, secretAccessKey: keys.secretKey },
		maxAttempts: 1,
	});
}
