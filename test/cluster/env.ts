/**
 * What tests use of the simulated Deis cluster (started by up.ts).
 *
 *   const env = loadCluster();            // addresses, keys, paths, seeded objects
 *   const { keys } = await makeFresh();   // a new, empty cluster to restore into
 *   await makeSource();                   // back to the seeded source cluster
 */
import { readFileSync } from 'node:fs';
import type { S3Client } from '@aws-sdk/client-s3';
import { readEnv } from './lib/env-file.js';
import type { ClusterEnv } from './lib/env-file.js';
import { paths } from './lib/paths.js';
import { s3Client } from './lib/s3.js';
import type { GatewayKeys, SignatureVersion } from './lib/s3.js';

export type { ClusterEnv } from './lib/env-file.js';
export type { GatewayKeys, SignatureVersion } from './lib/s3.js';
export { v2Authorization } from './lib/sigv2.js';
export { v4PresignedGet, v4SignedHeaders } from './lib/sigv4.js';
export type { SeedObject } from './lib/seed-data.js';
export type { UnitState } from './lib/units.js';
export type { FreshCluster } from './lib/modes.js';
export type { HostResult } from './lib/host-ssh.js';
export type { ClusterMode, ControllerVersion, FaultName } from './lib/cluster-state.js';

export { makeFresh, makeSource, MODEL_DIRS } from './lib/modes.js';
export { generatedFor } from './lib/platform-settings.js';
export { operatorSettings } from '../../source/demo/settings.js';
export { etcdGet, etcdList, etcdRemove, etcdSet } from './lib/etcd.js';
export { currentMode, setControllerVersion, setFault } from './lib/cluster-state.js';
export { readUnits, setUnitMachine, PLATFORM_UNITS } from './lib/units.js';
export { gatewayGeneration, routerBodySize, setGatewayGeneration } from './lib/router.js';
export type { GatewayGeneration } from './lib/router.js';
export { appenderRunning, LIVE_LOG, storeLayout } from './lib/store-files.js';
export { seedBodies } from './lib/seed-data.js';
export { runOnHost, sshArgs } from './lib/host-ssh.js';

export function loadCluster(): ClusterEnv {
	return readEnv();
}

function logLines(file: string): string[] {
	try {
		return readFileSync(file, 'utf8').split('\n').filter(Boolean);
	} catch {
		return [];
	}
}

/** Every `deisctl` invocation on the host so far, oldest first, as its arguments joined by spaces. */
export function deisctlLog(): string[] {
	return logLines(paths.deisctlLog);
}

/** Every `docker` invocation on the host so far, oldest first. */
export function dockerLog(): string[] {
	return logLines(paths.dockerLog);
}

/**
 * An S3 client for the gateway: through the router by name unless another
 * endpoint is given, signed v2 as a Deis v1 gateway requires. With a v1
 * gateway, list with ListObjectsCommand (v1, Marker paging): ListObjectsV2
 * gets a v1 answer there, without continuation tokens.
 */
export function s3For(keys: GatewayKeys, endpoint = readEnv().storeEndpoint, signature: SignatureVersion = 'v2'): S3Client {
	return s3Client(keys, endpoint, signature);
}
