/**
 * ssh2, and node-ssh over it, loaded with require at first use. Both ship
 * CommonJS, and Node 20's ESM loader took about 15 ms longer to load the same
 * files (its resolver, and a scan of every CommonJS file for its exports).
 * At first use, not at import: ssh2 and node-ssh take ~100 ms to load, and a
 * connection dials its TCP socket first, so that load runs while the network
 * and the host's sshd answer (one or two round trips on a real network).
 */
import { createRequire } from 'node:module';

// Named so that test/e2e/package.test.ts finds these packages among what dist loads.
const requireHere = createRequire(import.meta.url);

let ssh2Module: typeof import('ssh2') | undefined;
let nodeSshModule: typeof import('node-ssh') | undefined;

export function ssh2(): typeof import('ssh2') {
	return (ssh2Module ??= requireHere('ssh2') as typeof import('ssh2'));
}

export function nodeSsh(): typeof import('node-ssh') {
	return (nodeSshModule ??= requireHere('node-ssh') as typeof import('node-ssh'));
}

export type NodeSSH = import('node-ssh').NodeSSH;
