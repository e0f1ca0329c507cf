/**
 * Deterministic pseudo-random content: the same label always gives the same
 * bytes, so tests can recompute what the cluster was seeded with.
 */
import { createCipheriv, createHash } from 'node:crypto';

/** `size` bytes of an AES-128-CTR keystream keyed by the label (fast: ~1 GB/s). */
export function deterministicBytes(label: string, size: number): Buffer {
	const key = createHash('sha256').update(`deis-backup-test:${label}`).digest().subarray(0, 16);
	const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
	return Buffer.concat([cipher.update(Buffer.alloc(size)), cipher.final()]);
}

/** A small seeded generator (mulberry32) for choosing words, numbers, sizes. */
export class Rng {
	private state: number;

	constructor(label: string) {
		this.state = createHash('sha256').update(label).digest().readUInt32LE(0);
	}

	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	pick<T>(items: readonly T[]): T {
		const item = items[Math.floor(this.next() * items.length)];
		if (item === undefined) throw new Error('pick from an empty list');
		return item;
	}

	hex(length: number): string {
		let out = '';
		while (out.length < length) out += this.int(0, 15).toString(16);
		return out;
	}
}

export function sha256(data: Buffer | string): string {
	return createHash('sha256').update(data).digest('hex');
}

export function md5(data: Buffer | string): string {
	return createHash('md5').update(data).digest('hex');
}
