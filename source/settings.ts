/**
 * Everything needed to reach a cluster. Filled from flags, environment,
 * a saved profile, ssh_config or the wizard; never holds the gateway keys
 * (those are read from the cluster each run and live only in memory).
 */

/** How to reach one machine over SSH. */
export interface SshEndpoint {
	/** SSH host of one CoreOS machine as the operator named it: an address, a name or an ssh_config alias. */
	host: string;
	/** SSH port (Vagrant: 2222). */
	port: number;
	/** SSH user (CoreOS: core). */
	user: string;
	/** Private key file (--identity); tried after the agent's keys, before ssh_config's IdentityFile lines. */
	identity?: string;
	/** known_hosts file used to verify the host key; defaults to ssh_config's UserKnownHostsFile, then ~/.ssh/known_hosts. */
	knownHosts?: string;
	/** Accept and record an unknown host key (a changed key always stops the run). */
	acceptNewHostKey?: boolean;
	/** Use key files that others can read (OpenSSH refuses them). */
	insecureKeyPermissions?: boolean;
	/** The ssh_config file given with -F; default ~/.ssh/config. */
	sshConfig?: string;
	/** What ssh_config says about this host, filled by config/ssh-config.ts. */
	ssh?: SshConfigured;
}

/** The settings ssh_config gave for one host name, already expanded (~, %h, …). */
export interface SshConfigured {
	/** The name looked up; when the host is renamed these settings no longer apply. */
	alias: string;
	/** HostName, or the alias itself. */
	hostName: string;
	identityFiles: string[];
	identitiesOnly: boolean;
	/** UserKnownHostsFile; empty for the default. */
	knownHostsFiles: string[];
	strictHostKeyChecking?: 'yes' | 'no' | 'accept-new' | 'ask';
	/** ConnectTimeout, in milliseconds. */
	connectTimeoutMs?: number;
	/** ProxyJump's last hop (each hop holds the one before it). */
	jump?: SshEndpoint;
}

export interface ConnectionSettings extends SshEndpoint {
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

export function gatewayEndpointFor(settings: Pick<ConnectionSettings, 'domain' | 'storeEndpoint'>): string {
	return settings.storeEndpoint ?? `http://deis-store.${settings.domain}`;
}
