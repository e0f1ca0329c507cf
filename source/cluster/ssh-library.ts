/**
 * ssh2, and node-ssh over it, loaded with require. Both ship CommonJS, and
 * Node 20's ESM loader took about 15 ms longer to load the same files (its
 * resolver, and a scan of every CommonJS file for its exports), which every
 * command that connects paid before its first packet.
 */
import { createRequire } from 'node:module';

// Named so that test/e2e/package.test.ts finds these packages among what dist loads.
const requireHere = createRequire(import.meta.url);

export const ssh2 = requireHere('ssh2') as typeof import('ssh2');
export const { NodeSSH } = requireHere('node-ssh') as typeof import('node-ssh');
export type NodeSSH = import('node-ssh').NodeSSH;
