/**
 * Everything needed to reach a cluster. Filled from flags, environment,
 * a saved profile or the wizard; never holds the gateway keys (those are
 * fetched from the cluster each run and live only in memory).
 */
export interface ConnectionSettings {
	/** SSH host of one CoreOS machine (Vagrant: 127.0.0.1). */
	host: string;
	/** SSH port (Vagrant: 2222). */
	port: number;
	/** SSH user (CoreOS: core). */
	user: string;
	/** Private key file; when absent the SSH agent is used. */
	identity?: string;
	/** known_hosts file used to verify the host key; defaults to ~/.ssh/known_hosts. */
	knownHosts?: string;
	/** Accept and record an unknown host key (a changed key always stops the run). */
	acceptNewHostKey?: boolean;
	/** Cluster domain: the gateway answers at deis-store.<domain>. */
	domain: string;
	/** Override for the gateway URL when deis-store.<domain> does not resolve from here. */
	storeEndpoint?: string;
	/** Carry the S3 traffic through the SSH connection to the router on the host. */
	tunnel?: boolean;
	/**
	 * How S3 requests are signed. A Deis v1 gateway (Ceph radosgw firefly to
	 * infernalis) knows only v2, the default; 4 is for a gateway upgraded to
	 * Jewel or later that demands it.
	 */
	signatureVersion?: SignatureVersion;
}

export type SignatureVersion = 2 | 4;
export const DEFAULT_SIGNATURE_VERSION: SignatureVersion = 2;

export const VAGRANT_DEFAULTS = {
	host: '127.0.0.1',
	port: 2222,
	user: 'core',
	domain: 'local3.deisapp.com',
	/** Vagrant's well-known insecure key, relative to the home directory. */
	identityFromHome: '.vagrant.d/insecure_private_key',
} as const;

export function storeEndpointFor(settings: Pick<ConnectionSettings, 'domain' | 'storeEndpoint'>): string {
	return settings.storeEndpoint ?? `http://deis-store.${settings.domain}`;
}
