/**
 * A single-node Ceph (mon + memstore OSD + radosgw) standing in for deis-store.
 *
 * Private config passed with -c to every command; nothing touches /etc/ceph.
 * The OSD keeps objects in RAM (memstore): the data is gone when it stops,
 * which suits a cluster that is rebuilt from the seed on every `up`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOOPBACK, paths, ports } from './paths.js';
import { logFile, run, startDaemon, stopDaemon, waitFor } from './proc.js';
import { timed } from './timing.js';

const conf = join(paths.ceph, 'ceph.conf');
const keyring = join(paths.ceph, 'ceph.keyring');
const RGW_NAME = 'client.rgw.gw';
const MON_ID = 'a';
const OSD_ID = '0';

export const GATEWAY_URL = `http://${LOOPBACK}:${ports.gateway}`;
const MEMSTORE_BYTES = 1536 * 1024 * 1024;

/** Every ceph CLI call: private config, admin identity. */
export function cephArgs(...args: string[]): string[] {
	return ['-c', conf, '-n', 'client.admin', ...args];
}

function renderConf(fsid: string): string {
	const d = paths.ceph;
	return `[global]
fsid = ${fsid}
mon_initial_members = ${MON_ID}
mon_host = [v2:${LOOPBACK}:${ports.cephMonV2},v1:${LOOPBACK}:${ports.cephMonV1}]
public_addr = ${LOOPBACK}
cluster_addr = ${LOOPBACK}
ms_bind_ipv6 = false
run_dir = ${d}/run
admin_socket = ${d}/run/$cluster-$name.asok
log_file = ${d}/log/$cluster-$name.log
mon_cluster_log_file = ${d}/log/$cluster.log
mon_data = ${d}/mon/$cluster-$id
osd_data = ${d}/osd/$cluster-$id
keyring = ${keyring}
log_to_stderr = false
err_to_stderr = true
osd_objectstore = memstore
memstore_device_bytes = ${MEMSTORE_BYTES}
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 1
osd_pool_default_pgp_num = 1
osd_pool_default_pg_autoscale_mode = off
# Place replicas across OSDs, not hosts: there is one host. Must be set before mkfs.
osd_crush_chooseleaf_type = 0
mon_allow_pool_size_one = true
mon_warn_on_pool_no_redundancy = false
# Much faster start-up: the monitor proposes map changes every 0.1 s instead of 1 s.
paxos_propose_interval = 0.02
# No ceph-mgr here: keep the cluster HEALTH_OK without one.
mon_mgr_mkfs_grace = 31536000
auth_allow_insecure_global_id_reclaim = false
osd_op_num_shards = 2
osd_op_num_threads_per_shard = 1

[osd]
keyring = $osd_data/keyring

[${RGW_NAME}]
# tcp_nodelay: without it every request waits ~45 ms (Nagle + delayed ACK).
rgw_frontends = beast endpoint=${LOOPBACK}:${ports.gateway} tcp_nodelay=1
# Deis' bucket is db_wal: underscores need relaxed names.
rgw_relaxed_s3_bucket_names = true
rgw_data = ${d}/rgw
rgw_enable_usage_log = false
`;
}

/** A cephx secret in Ceph's encoding: type, creation time, length, 16 random bytes. */
function cephKey(): string {
	const buf = Buffer.alloc(12 + 16);
	const now = Date.now();
	buf.writeUInt16LE(1, 0);
	buf.writeUInt32LE(Math.floor(now / 1000), 2);
	buf.writeUInt32LE((now % 1000) * 1e6, 6);
	buf.writeUInt16LE(16, 10);
	randomBytes(16).copy(buf, 12);
	return buf.toString('base64');
}

function keyringEntry(name: string, key: string, caps: Record<string, string>): string {
	const capLines = Object.entries(caps).map(([what, cap]) => `\tcaps ${what} = "${cap}"\n`);
	return `[${name}]\n\tkey = ${key}\n${capLines.join('')}`;
}

/** Config, keys and mkfs of mon and OSD; nothing running yet. */
async function prepare(): Promise<{ osdUuid: string; osdKey: string }> {
	const d = paths.ceph;
	const monData = join(d, 'mon', `ceph-${MON_ID}`);
	const osdData = join(d, 'osd', `ceph-${OSD_ID}`);
	for (const dir of ['run', 'log', 'rgw']) mkdirSync(join(d, dir), { recursive: true });
	mkdirSync(monData, { recursive: true });
	mkdirSync(osdData, { recursive: true });
	const fsid = randomUUID();
	writeFileSync(conf, renderConf(fsid));
	// Keys generated here rather than with ceph-authtool: saves a process per key.
	writeFileSync(
		keyring,
		[
			keyringEntry('mon.', cephKey(), { mon: 'allow *' }),
			keyringEntry('client.admin', cephKey(), { mon: 'allow *', osd: 'allow *', mds: 'allow *', mgr: 'allow *' }),
			keyringEntry(RGW_NAME, cephKey(), { mon: 'allow rw', osd: 'allow rwx' }),
		].join(''),
		{ mode: 0o600 },
	);
	const osdKey = cephKey();
	const osdUuid = randomUUID();
	writeFileSync(join(osdData, 'keyring'), keyringEntry(`osd.${OSD_ID}`, osdKey, {}), { mode: 0o600 });
	// No monmaptool: the monitor builds its initial map from mon_host and the fsid in ceph.conf.
	await Promise.all([
		run('ceph-mon', ['-c', conf, '--mkfs', '-i', MON_ID, '--keyring', keyring]),
		// --no-mon-config: otherwise mkfs waits ~300 s for a monitor that memstore does not need.
		run('ceph-osd', ['-c', conf, '--mkfs', '-i', OSD_ID, '--osd-uuid', osdUuid, '--no-mon-config']),
	]);
	return { osdUuid, osdKey };
}

export async function startCeph(): Promise<void> {
	const { osdUuid, osdKey } = await timed('ceph mkfs', prepare);
	startDaemon('ceph-mon', ['ceph-mon', '-c', conf, '-f', '-i', MON_ID]);
	// Registering the OSD with its pre-made key avoids a keyring round trip.
	const secret = join(paths.ceph, 'osd-secret.json');
	writeFileSync(secret, JSON.stringify({ cephx_secret: osdKey }), { mode: 0o600 });
	await timed('ceph osd new', () => run('ceph', cephArgs('--connect-timeout', '20', 'osd', 'new', osdUuid, OSD_ID, '-i', secret)));
	startDaemon('ceph-osd', ['ceph-osd', '-c', conf, '-f', '-i', OSD_ID]);
	startDaemon('radosgw', ['radosgw', '-c', conf, '-n', RGW_NAME, '-f']);
	// The gateway creates its pools before it listens: answering means ready.
	await timed('radosgw ready', () => waitFor('radosgw', async () => (await fetch(`${GATEWAY_URL}/`)).ok, 30000, logFile('radosgw')));
}

/** Stop order matters: radosgw hangs on SIGTERM once the OSD is gone. */
export async function stopCeph(): Promise<void> {
	await stopDaemon('radosgw');
	await stopDaemon('ceph-osd');
	await stopDaemon('ceph-mon');
}

export function radosgwAdmin(...args: string[]) {
	return run('radosgw-admin', cephArgs(...args));
}
