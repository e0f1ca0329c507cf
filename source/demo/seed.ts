/**
 * The source cluster's data: the two buckets WAL-E and the Docker registry
 * fill (written straight into s3rver's on-disk layout, which is quicker than
 * thousands of PUTs and needs no client), and the store volume's log files.
 * Content is pseudo-random but deterministic, mostly small with a few
 * megabyte-sized objects, like the real thing.
 */
import { createHash } from 'node:crypto';
import { mkdir, symlink, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { hexFor, randomBytesFor, rng } from './random.js';

export interface SeedObject {
	bucket: string;
	key: string;
	body: Buffer;
	contentType?: string;
	/** Last-modified time. */
	mtime?: Date;
}

/** lzop's file magic: WAL-E compresses every segment and partition with lzop. */
const LZOP_MAGIC = Buffer.from([0x89, 0x4c, 0x5a, 0x4f, 0x00, 0x0d, 0x0a, 0x1a, 0x0a]);

function lzo(seed: string, size: number): Buffer {
	return Buffer.concat([LZOP_MAGIC, randomBytesFor(seed, size - LZOP_MAGIC.length)]);
}

const at = (day: number, minute: number) => new Date(Date.UTC(2016, 2, 1 + day, 3, minute));

function walObjects(): SeedObject[] {
	const objects: SeedObject[] = [];
	const pick = rng('wal');
	for (let seg = 1; seg <= 12; seg++) {
		const name = `0000000100000000000000${seg.toString(16).toUpperCase().padStart(2, '0')}`;
		// most segments compress well; a busy one now and then does not
		const size = seg === 5 || seg === 9 ? 1_100_000 + pick(400_000) : 20_000 + pick(180_000);
		objects.push({ bucket: 'db_wal', key: `wal_005/${name}.lzo`, body: lzo(`wal:${name}`, size), mtime: at(seg, 0) });
	}
	for (const [seg, size] of [
		['000000010000000000000002', 1_300_000],
		['000000010000000000000008', 2_600_000],
	] as const) {
		const base = `base_${seg}_00000040`;
		const day = parseInt(seg.slice(-2), 16);
		objects.push(
			{ bucket: 'db_wal', key: `wal_005/${seg}.00000040.backup.lzo`, body: lzo(`backup:${seg}`, 420), mtime: at(day, 1) },
			{ bucket: 'db_wal', key: `basebackups_005/${base}/tar_partitions/part_00000000.tar.lzo`, body: lzo(`base:${seg}`, size), mtime: at(day, 1) },
			{ bucket: 'db_wal', key: `basebackups_005/${base}/extended_version.txt`, body: Buffer.from('PostgreSQL 9.4.4 on x86_64-unknown-linux-gnu, compiled by gcc (Ubuntu 4.8.2-19ubuntu1) 4.8.2, 64-bit'), contentType: 'text/plain', mtime: at(day, 1) },
			{
				bucket: 'db_wal',
				key: `basebackups_005/${base}_backup_stop_sentinel.json`,
				body: Buffer.from(JSON.stringify({ wal_segment_backup_stop: seg, wal_segment_offset_backup_stop: '00000128', expanded_size_bytes: size * 5, spec: { base_prefix: null, tablespaces: [] } })),
				contentType: 'application/json',
				mtime: at(day, 2),
			},
		);
	}
	return objects;
}

function registryObjects(apps: readonly string[]): SeedObject[] {
	const objects: SeedObject[] = [];
	const pick = rng('registry');
	const put = (key: string, body: Buffer | string, contentType = 'application/octet-stream') =>
		objects.push({ bucket: 'registry', key, body: Buffer.isBuffer(body) ? body : Buffer.from(body), contentType, mtime: at(10, objects.length) });

	// a shared base image (the heroku-style stack every slug runs on), then one slug layer per app release
	const image = (seed: string, size: number, parent?: string) => {
		const id = hexFor(`image:${seed}`, 64);
		const layer = randomBytesFor(`layer:${seed}`, size);
		put(`images/${id}/layer`, layer);
		put(`images/${id}/json`, JSON.stringify({ id, parent, created: '2016-03-11T10:00:00Z', container_config: { Cmd: ['/bin/sh', '-c', '#(nop) ADD slug.tgz /app'] }, Size: size }), 'application/json');
		put(`images/${id}/ancestry`, JSON.stringify(parent ? [id, parent] : [id]), 'application/json');
		put(`images/${id}/_checksum`, `sha256:${createHash('sha256').update(layer).digest('hex')}`, 'text/plain');
		return id;
	};
	const base = image('base', 2_900_000);
	for (const app of apps) {
		const ids: string[] = [];
		for (let v = 1; v <= 2; v++) ids.push(image(`${app}:v${v}`, 8_000 + pick(600_000), base));
		ids.forEach((id, i) => put(`repositories/library/${app}/tag_v${i + 1}`, id, 'text/plain'));
		put(`repositories/library/${app}/tag_latest`, ids[ids.length - 1]!, 'text/plain');
		put(`repositories/library/${app}/_index_images`, JSON.stringify([base, ...ids].map((id) => ({ id }))), 'application/json');
	}
	return objects;
}

export function sourceObjects(apps: readonly string[]): SeedObject[] {
	return [...walObjects(), ...registryObjects(apps)];
}

/** Writes objects the way s3rver stores them: `<key>._S3rver_object` (+ `.md5`) and `<key>._S3rver_metadata.json`. */
export async function writeObjects(gatewayDir: string, objects: readonly SeedObject[]): Promise<void> {
	await Promise.all(
		objects.map(async (o) => {
			const parts = o.key.split('/');
			const last = parts.pop()!;
			const dir = join(gatewayDir, o.bucket, ...parts);
			await mkdir(dir, { recursive: true });
			const objectPath = join(dir, `${last}._S3rver_object`);
			await Promise.all([
				writeFile(objectPath, o.body),
				writeFile(`${objectPath}.md5`, createHash('md5').update(o.body).digest('hex')),
				writeFile(join(dir, `${last}._S3rver_metadata.json`), JSON.stringify({ 'content-type': o.contentType ?? 'application/octet-stream' })),
			]);
			if (o.mtime) await utimes(objectPath, o.mtime, o.mtime);
		}),
	);
}

function logLines(component: string, count: number): string {
	const pick = rng(`log:${component}`);
	const lines: string[] = [];
	for (let i = 0; i < count; i++) {
		const t = new Date(Date.UTC(2016, 2, 14, 8, 0, 0) + i * 1370).toISOString();
		const path = ['/v1/_ping', '/v1/images/' + hexFor(`${component}${i % 7}`, 64) + '/json', '/v1/repositories/library/blog/tags'][pick(3)];
		lines.push(`${t} ${component}[${1000 + pick(50)}]: 172.17.8.100 - - "GET ${path} HTTP/1.1" ${[200, 200, 200, 404][pick(4)]} ${pick(9000)}`);
	}
	return lines.join('\n') + '\n';
}

/**
 * The store volume (/var/lib/deis/store): the logger's and controller's logs.
 * The registry log is the big, live one; a symlink and a name with a space keep
 * archive and listing code honest.
 */
export async function seedStoreVolume(storeDir: string, apps: readonly string[]): Promise<void> {
	const logs = join(storeDir, 'logs');
	await mkdir(logs, { recursive: true });
	const files: Array<[string, string | Buffer, number?]> = [
		['logs/deis-registry.log', logLines('deis-registry', 14_000)],
		['logs/deis-controller.log', logLines('deis-controller', 900)],
		['logs/deis-router.log', logLines('deis-router', 600)],
		['logs/deis-builder.log', ''],
		['logs/archive/deis-registry.log.1', logLines('deis-registry-old', 300), 0o600],
		['controller/settings backup.txt', 'SECRET_KEY rotated 2016-03-02\n', 0o640],
		['controller/ünïcode-notes.txt', 'notes with a non-ASCII name\n'],
		...apps.map((app): [string, string] => [`logs/${app}.log`, logLines(app, 200)]),
	];
	await Promise.all(
		files.map(async ([rel, body, mode]) => {
			const abs = join(storeDir, rel);
			await mkdir(dirname(abs), { recursive: true });
			await writeFile(abs, body, { mode: mode ?? 0o644 });
		}),
	);
	await symlink('deis-registry.log', join(logs, 'current'));
}
