/**
 * A second cluster machine for tests: a network namespace joined to this one
 * by a veth pair, running its own sshd with the same user and shims. Fleet's
 * table can then place a unit on it, as on a multi-host Deis cluster.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterDir, paths, sshFiles } from '../cluster/lib/paths.js';
import { pollUntil, startDaemon, stopDaemon } from '../cluster/lib/proc.js';
import { sshBanner } from '../cluster/lib/ssh-host.js';

export const NETNS = 'deisdb';
export const HOST_SIDE = '10.213.7.1';
export const SECOND_HOST = '10.213.7.2';
const VETH = 'veth-deisdb';

function ip(...args: string[]): void {
	execFileSync('ip', args, { stdio: 'pipe' });
}

export function canMakeHosts(): string | undefined {
	if (process.getuid?.() !== 0) return 'needs root to create a network namespace';
	try {
		execFileSync('ip', ['netns', 'list'], { stdio: 'pipe' });
		return undefined;
	} catch {
		return 'the ip command cannot manage network namespaces here';
	}
}

export interface SecondHost {
	ip: string;
	/** known_hosts line for the second machine's sshd (port 22). */
	knownHostsLine: string;
	remove(): Promise<void>;
}

export async function addSecondHost(): Promise<SecondHost> {
	await removeLeftovers();
	ip('netns', 'add', NETNS);
	ip('link', 'add', VETH, 'type', 'veth', 'peer', 'name', `${VETH}-p`);
	ip('link', 'set', `${VETH}-p`, 'netns', NETNS);
	ip('addr', 'add', `${HOST_SIDE}/29`, 'dev', VETH);
	ip('link', 'set', VETH, 'up');
	ip('netns', 'exec', NETNS, 'ip', 'addr', 'add', `${SECOND_HOST}/29`, 'dev', `${VETH}-p`);
	ip('netns', 'exec', NETNS, 'ip', 'link', 'set', `${VETH}-p`, 'up');
	ip('netns', 'exec', NETNS, 'ip', 'link', 'set', 'lo', 'up');

	mkdirSync(join(clusterDir, 'netns'), { recursive: true });
	writeFileSync(join(clusterDir, 'netns', `${NETNS}.env`), `HOST_IP=${SECOND_HOST}\n`);
	const hostKey = join(paths.ssh, 'second_host_ed25519_key');
	rmSync(hostKey, { force: true });
	rmSync(`${hostKey}.pub`, { force: true });
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'second host', '-f', hostKey]);
	// The first machine's sshd config, moved to the second machine's address and own host key.
	const config = readFileSync(sshFiles.config, 'utf8')
		.split('\n')
		.map((line) => (line.startsWith('Port ') ? 'Port 22' : line.startsWith('ListenAddress ') ? `ListenAddress ${SECOND_HOST}` : line.startsWith('HostKey ') ? `HostKey ${hostKey}` : line.startsWith('PidFile ') ? `PidFile ${join(paths.ssh, 'sshd-second.pid')}` : line))
		.join('\n');
	const configFile = join(paths.ssh, 'sshd_second_config');
	writeFileSync(configFile, config);
	startDaemon('sshd-second', ['ip', 'netns', 'exec', NETNS, '/usr/sbin/sshd', '-D', '-e', '-f', configFile]);
	const up = await pollUntil(() => sshBanner(SECOND_HOST, 22), 10_000);
	if (!up) throw new Error('the second host\'s sshd did not start');
	const [type, key] = readFileSync(`${hostKey}.pub`, 'utf8').split(' ');
	return { ip: SECOND_HOST, knownHostsLine: `${SECOND_HOST} ${type} ${key}`, remove: removeLeftovers };
}

async function removeLeftovers(): Promise<void> {
	await stopDaemon('sshd-second').catch(() => undefined);
	try {
		ip('netns', 'delete', NETNS);
	} catch {
		// not there
	}
	try {
		ip('link', 'delete', VETH);
	} catch {
		// went with the namespace
	}
	rmSync(join(clusterDir, 'netns', `${NETNS}.env`), { force: true });
}
