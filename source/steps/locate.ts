/**
 * Finds which machine runs a Deis component and reaches it: the host we are
 * connected to when fleet places the unit there, else through it (ssh -J).
 */
import { commands } from '../cluster/commands.js';
import type { Deisctl } from '../cluster/deisctl.js';
import { findRunning } from '../cluster/fleet-table.js';
import type { RemoteHost } from '../cluster/ssh.js';
import { UserError } from '../errors.js';

export interface Located {
	host: RemoteHost;
	ip: string;
	/** Close it when done: a jump connection of our own. */
	owned: boolean;
}

export async function locateComponent(host: RemoteHost, deisctl: Deisctl, component: string): Promise<Located> {
	const rows = await deisctl.list();
	const row = findRunning(rows, component);
	if (!row) {
		throw new UserError(`deisctl list shows no running ${component}; start it with \`deisctl start ${component.replace(/^deis-/, '')}\` and run again.`);
	}
	if (await isSameMachine(host, row.ip)) return { host, ip: row.ip, owned: false };
	return { host: await host.jumpTo(row.ip), ip: row.ip, owned: true };
}

async function isSameMachine(host: RemoteHost, ip: string): Promise<boolean> {
	if (ip === '' || ip === 'localhost' || ip.startsWith('127.') || ip === '::1') return true;
	const result = await host.run(commands.hostAddresses());
	return result.code === 0 && result.stdout.split(/\s+/).includes(ip);
}
