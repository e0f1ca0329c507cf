/**
 * The store gateway's client for a plan: direct, or through the SSH connection.
 */
import type { RemoteHost } from '../cluster/ssh.js';
import { createGatewayClient, type GatewayKeys, type GatewayClient } from '../cluster/gateway-client.js';
import { DEFAULT_SIGNATURE_VERSION, gatewayEndpointFor, type ConnectionSettings } from '../settings.js';

export function openGateway(connection: ConnectionSettings, host: RemoteHost, keys: GatewayKeys, concurrency: number): Promise<GatewayClient> {
	const endpoint = gatewayEndpointFor(connection);
	// Through SSH the router is reached on the host itself; the Host header still names deis-store.<domain>.
	const tunnel = connection.tunnel ? () => host.openTunnel('127.0.0.1', new URL(endpoint).port ? Number(new URL(endpoint).port) : 80) : undefined;
	return createGatewayClient({ endpoint, keys, concurrency, tunnel, signatureVersion: connection.signatureVersion ?? DEFAULT_SIGNATURE_VERSION });
}
