/**
 * Facts of a Deis v1 cluster that both the tool and the built-in demo cluster
 * speak: where the store volume lives, the units the procedure starts, where
 * CoreOS installs deisctl. One module, so the demo never imports the tool's
 * cluster adapters to learn them.
 */
export const STORE_PATH = '/var/lib/deis/store';

/** The store units the procedure starts before restoring, in its order. */
export const STORE_UNITS = ['store-monitor', 'store-daemon', 'store-metadata', 'store-gateway@1', 'store-volume'] as const;
export const ROUTER_UNIT = 'router@1';

/** Where CoreOS installs deisctl: on a login shell's PATH, not always on a non-interactive one's. */
export const DEISCTL_INSTALLED = '/opt/bin/deisctl';

/** The buckets a Deis v1 cluster keeps its data in: the component whose etcd bucketName names each, and Deis' default name. */
export const DEIS_BUCKETS = [
	{ role: 'database', component: 'database', fallback: 'db_wal' },
	{ role: 'registry', component: 'registry', fallback: 'registry' },
] as const;
