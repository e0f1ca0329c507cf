/**
 * The gateway's credentials and bucket names, read from etcd through deisctl
 * as the procedure does. The keys stay in memory: never printed, never saved.
 */
import type { Deisctl } from '../../cluster/deisctl.js';
import type { GatewayKeys } from '../../cluster/store.js';
import { UserError } from '../../errors.js';
import type { BucketRole } from '../../archive/manifest.js';

export async function fetchGatewayKeys(deisctl: Deisctl): Promise<GatewayKeys> {
	const [accessKey, secretKey] = await Promise.all([deisctl.configGet('store', 'gateway/accessKey'), deisctl.configGet('store', 'gateway/secretKey')]);
	if (!accessKey || !secretKey) {
		throw new UserError('The cluster has no store gateway keys yet (deisctl config store get gateway/accessKey printed nothing); start the store units and the gateway first.');
	}
	return { accessKey, secretKey };
}

export const DEFAULT_BUCKETS: Record<BucketRole, string> = { database: 'db_wal', registry: 'registry' };
const COMPONENT: Record<BucketRole, string> = { database: 'database', registry: 'registry' };
// Ceph's relaxed bucket names (db_wal has an underscore), and never a path trick.
const BUCKET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

export async function bucketNames(deisctl: Deisctl): Promise<Record<BucketRole, string>> {
	const result = { ...DEFAULT_BUCKETS };
	for (const role of Object.keys(result) as BucketRole[]) {
		const name = await deisctl.configGet(COMPONENT[role], 'bucketName');
		if (name === undefined) continue;
		if (!BUCKET_NAME.test(name) || name.includes('..')) {
			throw new UserError(`etcd holds an invalid bucket name for the ${role} (${JSON.stringify(name)}); fix /deis/${COMPONENT[role]}/bucketName on the cluster.`);
		}
		result[role] = name;
	}
	return result;
}
