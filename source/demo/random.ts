/**
 * Deterministic pseudo-random data, so every demo cluster holds the same
 * content and a backup of it can be compared run to run.
 */
import { createCipheriv, createHash } from 'node:crypto';

/** `n` pseudo-random bytes determined by `seed`: an AES-CTR keystream, fast enough for megabytes. */
export function randomBytesFor(seed: string, n: number): Buffer {
	const key = createHash('sha256').update(seed).digest();
	const cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32));
	return cipher.update(Buffer.alloc(n));
}

export function hexFor(seed: string, chars: number): string {
	return randomBytesFor(seed, Math.ceil(chars / 2)).toString('hex').slice(0, chars);
}

/** A small seeded integer generator (mulberry32) for choosing sizes and counts. */
export function rng(seed: string): (maxExclusive: number) => number {
	let a = createHash('sha256').update(seed).digest().readUInt32LE(0);
	return (max) => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
		return Math.floor(r * max);
	};
}

/** A v4-shaped UUID derived from the seed. */
export function uuidFor(seed: string): string {
	const h = hexFor(seed, 32).split('');
	h[12] = '4';
	h[16] = '89ab'[parseInt(h[16]!, 16) % 4]!;
	const s = h.join('');
	return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
