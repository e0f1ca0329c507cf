/**
 * The data sets: deterministic keys and sizes (a seeded PRNG), content cut
 * from one random pool so generating it costs nothing measurable.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { GiB, MiB, QUICK } from './env.js';

export interface BenchObject {
	key: string;
	size: number;
	/** Where its content starts in the pool (content repeats the pool for objects larger than it). */
	offset: number;
}

export interface DataSet {
	id: 'a' | 'b' | 'c' | 'd';
	title: string;
	bucket: string;
	objects: BenchObject[];
	bytes: number;
	/** d: the timed runs are a no-change re-sync after an untimed full sync. */
	resync: boolean;
}

function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const POOL_BYTES = 96 * MiB;
let pool: Buffer | undefined;
export function contentPool(): Buffer {
	pool ??= randomBytes(POOL_BYTES);
	return pool;
}

const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');

/** WAL segments and registry index files: what db_wal and registry hold. */
function smallObjects(count: number, seed: number): BenchObject[] {
	const random = prng(seed);
	const objects: BenchObject[] = [];
	for (let i = 0; i < count; i++) {
		const size = 1024 + Math.floor(random() * 63 * 1024);
		const key = i % 4 === 3 ? `images/${hex(i * 2654435761, 16).toLowerCase()}/json` : `wal_005/0000000100000000${hex(i, 8)}.lzo`;
		objects.push({ key, size, offset: Math.floor(random() * (POOL_BYTES - size)) });
	}
	return objects;
}

function largeObjects(count: number, seed: number): BenchObject[] {
	const random = prng(seed);
	const objects: BenchObject[] = [];
	// Stratified over 8-64 MB (one size per 1/count of the range, in a shuffled order): the total stays
	// near count × 36 MB whatever the seed, which the 1.5 GiB memstore OSD depends on.
	const slots = Array.from({ length: count }, (_, i) => i);
	for (let i = slots.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[slots[i], slots[j]] = [slots[j] as number, slots[i] as number];
	}
	for (let i = 0; i < count; i++) {
		const size = Math.floor((8 + ((slots[i] as number) + random()) * (56 / count)) * 1e6);
		objects.push({ key: `images/${hex(i * 40503 + 7, 12).toLowerCase()}/layer`, size, offset: Math.floor(random() * (POOL_BYTES - size)) });
	}
	return objects;
}

function dataSet(id: DataSet['id'], title: string, objects: BenchObject[], resync = false): DataSet {
	return { id, title, bucket: `bench-${id}`, objects, bytes: objects.reduce((sum, o) => sum + o.size, 0), resync };
}

/** BENCH_QUICK=1 shrinks every set about tenfold (a smoke run). */
export function dataSets(): DataSet[] {
	const scale = QUICK ? 10 : 1;
	return [
		dataSet('a', `(a) ${2000 / scale} small objects, 1-64 KB`, smallObjects(2000 / scale, 1)),
		dataSet('b', `(b) ${QUICK ? 3 : 30} objects of 8-64 MB`, largeObjects(QUICK ? 3 : 30, 2)),
		dataSet('c', `(c) one object of ${QUICK ? '100 MiB' : '1 GiB'}`, [{ key: 'basebackups_005/base_000000010000000000000002/part_00000000.tar.lzo', size: QUICK ? 100 * MiB : GiB, offset: 0 }]),
		dataSet('d', `(d) no-change re-sync of ${10000 / scale} small objects`, smallObjects(10000 / scale, 4), true),
	];
}

/** An object's content as one buffer (objects up to the pool's size) or a stream. */
export function objectBody(object: BenchObject): Buffer | Readable {
	const data = contentPool();
	if (object.offset + object.size <= data.length) return data.subarray(object.offset, object.offset + object.size);
	let left = object.size;
	let at = object.offset % data.length;
	return Readable.from(
		(function* () {
			while (left > 0) {
				const n = Math.min(left, 8 * MiB, data.length - at);
				yield data.subarray(at, at + n);
				left -= n;
				at = (at + n) % data.length;
			}
		})(),
		{ objectMode: false },
	);
}
