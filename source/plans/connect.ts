/**
 * Reaching the cluster for a plan: SSH with deisctl over it, and the store
 * gateway's client (direct, or through the SSH connection).
 */
import { Deisctl } from '../cluster/deisctl.js';
import { connectHost, type RemoteHost } from '../cluster/ssh.js';
import { loadS3Sdk } from '../cluster/s3-sdk.js';
import { createGatewayClient, type GatewayKeys, type GatewayClient } from '../cluster/gateway-client.js';
import { DEFAULT_SIGNATURE_VERSION, gatewayEndpointFor, type ConnectionSettings } from '../settings.js';
import type { PlanHooks } from './hooks.js';

export interface Connected {
	host: RemoteHost;
	deisctl: Deisctl;
}

/**
 * Connects; `warn` hears about keys used despite loose permissions or skipped.
 * `sdk`: the plan will need the S3 client (a restore with objects to upload in
 * parts), so it starts loading now. A backup never loads it.
 */
export async function connect(connection: ConnectionSettings, hooks: PlanHooks, warn?: (message: string) => void, sdk = false): Promise<Connected> {
	const host = await connectHost(connection, { confirmHostKey: hooks.confirmHostKey, askPassphrase: hooks.askPassphrase, onNotice: warn });
	// Loads while the gateway keys are read (remote commands, ~0.5 s of waiting); loading it during
	// the SSH handshake instead delayed the handshake. A failure shows where it is used.
	if (sdk) setImmediate(() => loadS3Sdk().catch(() => undefined));
	return { host, deisctl: new Deisctl(host) };
}

export function openGateway(connection: ConnectionSettings, host: RemoteHost, keys: GatewayKeys, concurrency: number): Promise<GatewayClient> {
	const endpoint = gatewayEndpointFor(connection);
	// Through SSH the router is reached on the host itself; the Host header still names deis-store.<domain>.
	const tunnel = connection.tunnel ? () => host.openTunnel('127.0.0.1', new URL(endpoint).port ? Number(new URL(endpoint).port) : 80) : undefined;
	return createGatewayClient({ endpoint, keys, concurrency, tunnel, signatureVersion: connection.signatureVersion ?? DEFAULT_SIGNATURE_VERSION });
}
