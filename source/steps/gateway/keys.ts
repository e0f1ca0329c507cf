/**
 * The gateway's credentials and bucket names, read from etcd through deisctl
 * as the procedure does. The keys stay in memory: never printed, never saved.
 */
import type { Deisctl } from '../../cluster/deisctl.js';
import type { GatewayKeys } from '../../cluster/gateway-client.js';
import { isValidBucketName } from '../../validate.js';
import { UserError } from '../../errors.js';
import type { BucketRole } from '../../archive/manifest.js';
import { DEIS_BUCKETS } from '../../deis.js';
import { absoluteKey } from '../settings/catalog.js';

/** Read in one deisctl command: the procedure's two `get`s, one round trip. */
export const GATEWAY_KEYS = ['gateway/accessKey', 'gateway/secretKey'];

export async function readGatewayKeys(deisctl: Deisctl): Promise<GatewayKeys> {
	const [accessKey, secretKey] = (await deisctl.configGetAll('store', GATEWAY_KEYS)) ?? [];
	if (!accessKey || !secretKey) {
		throw new UserError('The cluster has no store gateway keys yet (deisctl config store get gateway/accessKey gateway/secretKey printed nothing); start the store units and the gateway first.');
	}
	return { accessKey, secretKey };
}

export interface BucketChoice {
	role: BucketRole;
	name: string;
}

// One rule for bucket names, whether typed in --buckets, read from etcd or from a manifest.

/** The database's and the registry's buckets, as etcd names them (else Deis' defaults). */
export async function bucketNames(deisctl: Deisctl): Promise<BucketChoice[]> {
	return chooseBuckets(await Promise.all(DEIS_BUCKETS.map(({ component }) => deisctl.configGet(component, 'bucketName'))));
}

/**
 * What deisctl would print, taken from a read of etcd's /deis (full path →
 * value) that the backup makes anyway for the settings: the keys and the
 * bucket names without a remote command of their own. undefined unless both keys are there.
 */
export function gatewayKeysIn(values: ReadonlyMap<string, string>): GatewayKeys | undefined {
	const [accessKey, secretKey] = GATEWAY_KEYS.map((key) => values.get(etcdKeyOf('store', key))?.trim());
	return accessKey && secretKey ? { accessKey, secretKey } : undefined;
}

export function bucketNamesIn(values: ReadonlyMap<string, string>): BucketChoice[] {
	return chooseBuckets(DEIS_BUCKETS.map(({ component }) => values.get(etcdKeyOf(component, 'bucketName'))?.trim() || undefined));
}

/** Where etcd holds what `deisctl config <component> get <key>` prints. */
function etcdKeyOf(component: string, key: string): string {
	return absoluteKey(`${component}/${key}`);
}

function chooseBuckets(names: ReadonlyArray<string | undefined>): BucketChoice[] {
	return DEIS_BUCKETS.map(({ role, component, fallback }, index) => {
		const name = names[index] ?? fallback;
		if (!isValidBucketName(name)) {
			throw new UserError(`etcd holds an invalid bucket name for the ${role} (${JSON.stringify(name)}); fix /deis/${component}/bucketName on the cluster.`);
		}
		return { role, name };
	});
}
