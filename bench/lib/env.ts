/**
 * What the bench knows about the machine and the simulated cluster: read from
 * .cluster/env.json (written by test/cluster/up.ts), never from the user's
 * home configuration.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ClusterEnv } from '../../test/cluster/lib/env-file.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CLUSTER_DIR = join(ROOT, '.cluster');

// One shape of .cluster/env.json for the tests and the bench: the file up.ts writes.
export type { ClusterEnv };

export function readClusterEnv(): ClusterEnv {
	return JSON.parse(readFileSync(join(CLUSTER_DIR, 'env.json'), 'utf8')) as ClusterEnv;
}

export const CEPH_CONF = join(CLUSTER_DIR, 'ceph/ceph.conf');
export const OSD_SOCKET = join(CLUSTER_DIR, 'ceph/run/ceph-osd.0.asok');

/** The router, as every tool reaches it: the name resolves to 127.0.0.1 through /etc/hosts. */
export const ROUTER_HOST = 'deis-store.deis.test';
export const ROUTER_PORT = 80;

export const QUICK = process.env.BENCH_QUICK === '1';
export const RUNS = Math.max(1, Number.parseInt(process.env.BENCH_RUNS ?? '3', 10) || 3);
export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;
