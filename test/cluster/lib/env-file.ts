/** .cluster/env.json: what a test needs to know about the running cluster. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { GatewayKeys } from './s3.js';
import type { SeedObject } from './seed-data.js';
import { paths } from './paths.js';

export interface ClusterEnv {
	/** SSH to the cluster host. */
	host: string;
	port: number;
	user: string;
	/** Private key (like Vagrant's insecure key) and the known_hosts file with the host key. */
	identity: string;
	knownHosts: string;
	domain: string;
	/** The store through the router, by name: http://deis-store.<domain> (port 80). */
	storeEndpoint: string;
	/** The gateway itself, bypassing the router. */
	gatewayDirect: string;
	etcdUrl: string;
	/** What a controller on this host would use as ETCD (ip:port). */
	etcdHostPort: string;
	/** The source cluster's gateway keys (a fresh cluster gets new ones from makeFresh). */
	keys: GatewayKeys;
	/** The store folder on this machine, and the path the procedure uses on the host. */
	storeDir: string;
	storePath: string;
	files: {
		clusterDir: string;
		shims: string;
		units: string;
		deisctlLog: string;
		dockerLog: string;
		faults: string;
		controllerVersion: string;
		routerAccessLog: string;
	};
	postgres: { port: number; socketDir: string };
	/** Every seeded object, with its content checksum. */
	objects: SeedObject[];
}

export function writeEnv(env: ClusterEnv): void {
	writeFileSync(paths.env, `${JSON.stringify(env, null, '\t')}\n`);
}

export function readEnv(): ClusterEnv {
	try {
		return JSON.parse(readFileSync(paths.env, 'utf8')) as ClusterEnv;
	} catch (error) {
		throw new Error(`the test cluster is not up (${paths.env}): run npx tsx test/cluster/up.ts (${(error as Error).message})`);
	}
}
