/**
 * Checks the wizard runs on an answer before it moves on: that SSH gets in,
 * and that the store gateway's name resolves and answers. Plan work, so the
 * face never talks to SSH or the network itself.
 */
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import { applySshConfig } from '../config/ssh-config.js';
import { messageOf } from '../errors.js';
import { gatewayEndpointFor, type ConnectionSettings } from '../settings.js';
import type { PlanHooks } from './hooks.js';

/** Why the store gateway cannot be used as given. */
export interface GatewayProblem {
	/** One sentence: what was tried and what happened. */
	message: string;
	/** The gateway is not reachable by its name from here: the SSH tunnel or a gateway URL may still reach it. */
	offerRoutes: boolean;
}

/**
 * undefined when SSH gets in; else one sentence. A host key not seen before
 * is shown once (`shownKeys` remembers it by host:port) and trusted when the
 * same answers come again, as ssh's "yes".
 */
export async function checkConnection(connection: ConnectionSettings, shownKeys: Map<string, string>, askPassphrase?: PlanHooks['askPassphrase']): Promise<string | undefined> {
	let offered: string | undefined;
	const where = `${connection.host}:${connection.port}`;
	try {
		// SSH loads on first use: the first screen must not wait for it.
		const { connectHost } = await import('../cluster/ssh.js');
		// A host typed into the form may be an ssh_config alias.
		const host = await connectHost({ ...connection, ...(await applySshConfig(connection)) }, {
			confirmHostKey: async (_label, print) => {
				offered = print;
				return shownKeys.get(where) === print;
			},
			askPassphrase,
		});
		await host.close();
		return undefined;
	} catch (error) {
		if (offered && shownKeys.get(where) !== offered) {
			shownKeys.set(where, offered);
			return `${where} is a host not seen before; its key is ${offered}. If that matches the host (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on it), accept the same answers again to trust it.`;
		}
		return messageOf(error);
	}
}

/** Before a restore the gateway is not running yet: the name must resolve, nothing more. */
export async function checkGatewayName(connection: ConnectionSettings): Promise<GatewayProblem | undefined> {
	if (connection.tunnel) return undefined;
	const host = new URL(gatewayEndpointFor(connection)).hostname;
	try {
		await lookup(host);
		return undefined;
	} catch {
		return { message: `${host} does not resolve from this machine.`, offerRoutes: true };
	}
}

/** Any HTTP answer from the gateway proves the name resolves and something listens. */
export function probeGateway(connection: ConnectionSettings, timeoutMs = 5000): Promise<GatewayProblem | undefined> {
	const endpoint = gatewayEndpointFor(connection);
	if (connection.tunnel) return Promise.resolve(undefined);
	return new Promise((done) => {
		const request = http.get(endpoint, { timeout: timeoutMs }, (response) => {
			response.resume();
			const server = String(response.headers.server ?? '');
			const looksLikeS3 = response.statusCode === 200 || response.statusCode === 403 || /ceph|rgw|nginx|amazon|s3/i.test(server);
			done(looksLikeS3 ? undefined : { message: `${endpoint} answered HTTP ${response.statusCode}, not like a store gateway.`, offerRoutes: true });
		});
		request.on('timeout', () => {
			request.destroy();
			done({ message: `${endpoint} did not answer within ${timeoutMs / 1000} s.`, offerRoutes: true });
		});
		request.on('error', (error: NodeJS.ErrnoException) => {
			if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') done({ message: `${new URL(endpoint).hostname} does not resolve from this machine.`, offerRoutes: true });
			else done({ message: `${endpoint} cannot be reached (${error.code ?? error.message}).`, offerRoutes: true });
		});
	});
}
