/**
 * What the source cluster's gateway holds: WAL-E's base backup and WAL
 * segments in `db_wal`, docker-registry v1 images in `registry`. Contents are
 * deterministic (see prng.ts); sizes are mostly small, several over 1 MB and
 * one ~24 MB base backup partition, over any multipart threshold.
 */
import { deterministicBytes, md5, Rng, sha256 } from './prng.js';

export interface SeedObject {
	bucket: string;
	key: string;
	size: number;
	sha256: string;
	/** Single-PUT ETag (content MD5), used to tell whether the seed is still intact. */
	md5: string;
}

export interface SeedBody extends SeedObject {
	body: Buffer;
}

export const SEED_BUCKETS = ['db_wal', 'registry'] as const;
const KB = 1024;
const MB = 1024 * KB;

const BASE = 'basebackups_005/base_000000010000000000000002_00000040';

function walObjects(): Array<[string, Buffer]> {
	const out: Array<[string, Buffer]> = [];
	// Compressed 16 MB segments: mostly small (idle database), a few large.
	const sizes = [38 * KB, 12 * KB, 1536 * KB, 54 * KB, 9 * KB, 2 * MB + 3 * KB, 61 * KB, 27 * KB, 1200 * KB, 4 * KB];
	sizes.forEach((size, i) => {
		const segment = `0000000100000000000000${(i + 1).toString(16).toUpperCase().padStart(2, '0')}`;
		out.push([`wal_005/${segment}.lzo`, deterministicBytes(`wal:${segment}`, size)]);
	});
	out.push(['wal_005/000000010000000000000002.00000040.backup.lzo', deterministicBytes('wal:backup-label', 1 * KB + 77)]);
	return out;
}

function dbWal(): Array<[string, Buffer]> {
	const sentinel = {
		wal_segment_backup_stop: '000000010000000000000002',
		wal_segment_offset_backup_stop: '00000178',
		expanded_size_bytes: 25_485_312,
		wal_segment_backup_start: '000000010000000000000002',
		wal_segment_offset_backup_start: '00000040',
		is_master: true,
	};
	return [
		[`${BASE}/tar_partitions/part_00000000.tar.lzo`, deterministicBytes('db_wal:part_00000000', 24 * MB + 311 * KB)],
		[`${BASE}/extended_version.txt`, Buffer.from('PostgreSQL 9.4.4 on x86_64-unknown-linux-gnu, compiled by gcc (Ubuntu 4.8.2-19ubuntu1) 4.8.2, 64-bit\n')],
		[`${BASE}_backup_stop_sentinel.json`, Buffer.from(JSON.stringify(sentinel))],
		...walObjects(),
	];
}

function registry(): Array<[string, Buffer]> {
	const rng = new Rng('registry');
	const out: Array<[string, Buffer]> = [];
	const ids: string[] = [];
	// Layer sizes: mostly 1-64 KB, three big ones.
	const layerSizes = [3 * KB, 41 * KB, 1 * MB + 200 * KB, 17 * KB, 64 * KB, 6 * KB, 3 * MB + 512 * KB, 29 * KB, 1 * KB, 52 * KB, 5 * MB + 700 * KB, 11 * KB];
	layerSizes.forEach((size, i) => {
		const id = rng.hex(64);
		const parent = ids[ids.length - 1];
		ids.push(id);
		const layer = deterministicBytes(`registry:layer:${id}`, size);
		const json = { id, parent, created: `2015-08-${String(10 + i).padStart(2, '0')}T10:00:00Z`, container_config: { Cmd: ['/bin/sh', '-c', `step ${i}`] }, Size: size };
		out.push(
			[`images/${id}/layer`, layer],
			[`images/${id}/json`, Buffer.from(JSON.stringify(json))],
			[`images/${id}/ancestry`, Buffer.from(JSON.stringify([...ids].reverse()))],
			[`images/${id}/_checksum`, Buffer.from(`tarsum+sha256:${sha256(layer)}`)],
		);
	});
	// Repositories; the last three names exercise key encoding (space, unicode, '+').
	const repos = ['webapp', 'api-staging', 'worker-jobs', 'my app', 'café-ünïcode', 'app+beta'];
	repos.forEach((repo, i) => {
		const top = ids[Math.min(ids.length - 1, 3 + i)] ?? '';
		out.push(
			[`repositories/library/${repo}/tag_latest`, Buffer.from(top)],
			[`repositories/library/${repo}/_index_images`, Buffer.from(JSON.stringify(ids.slice(0, 4 + i).map((id) => ({ id }))))],
		);
	});
	out.push(['repositories/library/webapp/tag_v2', Buffer.from(ids[2] ?? '')]);
	return out;
}

let cached: SeedBody[] | undefined;

/** Every seeded object with its content (generated once per process: ~40 MB). */
export function seedBodies(): SeedBody[] {
	const make = (bucket: string, [key, body]: [string, Buffer]): SeedBody => ({
		bucket, key, size: body.length, sha256: sha256(body), md5: md5(body), body,
	});
	cached ??= [...dbWal().map((o) => make('db_wal', o)), ...registry().map((o) => make('registry', o))];
	return cached;
}

/** The seed without contents (what env.json records). */
export function seedObjects(): SeedObject[] {
	return seedBodies().map(({ body: _body, ...rest }) => rest);
}
