/**
 * Text formatting shared by the Ink screens and the plain line renderers.
 *
 * Sizes are decimal (1 kB = 1000 B), like s3cmd and rsync -h print them, so
 * the numbers an operator compares against those tools match.
 */
import type { Progress, StageId } from '../progress.js';

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] as const;

export function formatBytes(bytes: number): string {
	if (!Number.isFinite(bytes) || bytes < 0) return '? B';
	if (bytes < 1000) return `${Math.round(bytes)} B`;
	let value = bytes;
	let unit = 0;
	// Round before comparing so 999.96 kB becomes "1.0 MB", never "1000.0 kB".
	while (unit < UNITS.length - 1 && Number((value).toFixed(1)) >= 1000) {
		value /= 1000;
		unit++;
	}
	return `${value.toFixed(1)} ${UNITS[unit]}`;
}

export function formatRate(bytesPerSecond: number): string {
	return `${formatBytes(bytesPerSecond)}/s`;
}

/** `6s`, `1m 05s`, `2h 03m`: whole seconds, the way a clock on screen reads. */
export function formatDuration(ms: number): string {
	const totalSeconds = Math.max(0, Math.floor(ms / 1000));
	if (totalSeconds < 60) return `${totalSeconds}s`;
	const minutes = Math.floor(totalSeconds / 60);
	const seconds = totalSeconds % 60;
	if (minutes < 60) return `${minutes}m ${pad2(seconds)}s`;
	const hours = Math.floor(minutes / 60);
	return `${hours}h ${pad2(minutes % 60)}m`;
}

/** Remaining time, rounded up so the last second never shows as `ETA 0s`. */
export function formatEta(remainingMs: number): string {
	return `ETA ${formatDuration(Math.ceil(Math.max(0, remainingMs) / 1000) * 1000)}`;
}

function pad2(n: number): string {
	return n < 10 ? `0${n}` : String(n);
}

/**
 * Shortens a slash path in the middle, keeping the leading folders and the
 * file name, which are what tell objects apart: `registry/images/…/layer`.
 */
export function shortenPath(path: string, max = 48): string {
	if (path.length <= max) return path;
	const parts = path.split('/');
	const last = parts[parts.length - 1] ?? '';
	if (parts.length >= 2 && last.length + 2 <= max) {
		let head = '';
		for (const part of parts.slice(0, -1)) {
			const next = head === '' ? part : `${head}/${part}`;
			if (next.length + last.length + 3 > max) break;
			head = next;
		}
		return head === '' ? `…/${last}` : `${head}/…/${last}`;
	}
	const keep = Math.max(1, max - 1);
	const front = Math.ceil(keep / 2);
	return `${path.slice(0, front)}…${path.slice(path.length - (keep - front))}`;
}

const ITEM_NOUNS: Partial<Record<StageId, string>> = {
	buckets: 'objects',
	volume: 'files',
};

export function itemNoun(stage: StageId): string {
	return ITEM_NOUNS[stage] ?? 'items';
}

export interface ProgressLineOptions {
	/** A smoothed rate (bytes/s); without it the average since the start is used. */
	rate?: number;
	/** Longest item name shown. */
	itemWidth?: number;
}

/**
 * One line: `12.3 MB / 40.0 MB · 5.1 MB/s · ETA 6s · 120/2000 objects · registry/…/layer`.
 * Parts whose numbers are unknown are left out rather than shown as zero.
 */
export function progressLine(p: Progress, elapsedMs: number, options: ProgressLineOptions = {}): string {
	const parts: string[] = [];
	const hasTotal = p.bytesTotal !== undefined && p.bytesTotal > 0;
	if (p.bytesDone > 0 || hasTotal) {
		parts.push(hasTotal ? `${formatBytes(p.bytesDone)} / ${formatBytes(p.bytesTotal ?? 0)}` : formatBytes(p.bytesDone));
	}
	const rate = options.rate ?? (elapsedMs > 0 ? (p.bytesDone * 1000) / elapsedMs : undefined);
	if (rate !== undefined && rate > 0 && Number.isFinite(rate)) {
		parts.push(formatRate(rate));
		if (hasTotal && p.bytesDone < (p.bytesTotal ?? 0)) {
			parts.push(formatEta((((p.bytesTotal ?? 0) - p.bytesDone) / rate) * 1000));
		}
	}
	if (p.itemsDone !== undefined) {
		const noun = itemNoun(p.stage);
		parts.push(p.itemsTotal !== undefined ? `${p.itemsDone}/${p.itemsTotal} ${noun}` : `${p.itemsDone} ${noun}`);
	}
	if (p.item) parts.push(shortenPath(p.item, options.itemWidth));
	if (p.message) parts.push(p.message);
	return parts.join(' · ');
}

/** The fraction done, from bytes when their total is known, else from items. */
export function progressRatio(p: Progress): number | undefined {
	if (p.bytesTotal !== undefined && p.bytesTotal > 0) return clamp01(p.bytesDone / p.bytesTotal);
	if (p.itemsTotal !== undefined && p.itemsTotal > 0 && p.itemsDone !== undefined) return clamp01(p.itemsDone / p.itemsTotal);
	return undefined;
}

function clamp01(n: number): number {
	return Math.min(1, Math.max(0, n));
}

export interface RateMeter {
	/** Feed the running byte count at time `now` (ms). */
	sample(bytesDone: number, now: number): void;
	/** Bytes per second over the window, or undefined until two samples span some time. */
	rate(): number | undefined;
	/** Milliseconds left to reach `bytesTotal` at the current rate. */
	etaMs(bytesTotal: number): number | undefined;
	reset(): void;
}

/**
 * A sliding-window rate: the slope between the oldest and newest sample in the
 * last `windowMs`. A window rather than the last two samples, because object
 * transfers report in bursts (a 5 MB part, then nothing for a second).
 */
export function createRateMeter(options: { windowMs?: number; minSpanMs?: number } = {}): RateMeter {
	const windowMs = options.windowMs ?? 5000;
	const minSpanMs = options.minSpanMs ?? 200;
	let samples: Array<{ bytes: number; t: number }> = [];

	const meter: RateMeter = {
		sample(bytes, now) {
			const last = samples[samples.length - 1];
			// A smaller count means the transfer started over (retry): old samples would lie.
			if (last && (bytes < last.bytes || now < last.t)) samples = [];
			const newest = samples[samples.length - 1];
			// Same instant: keep the newer count so repeated renders add nothing.
			if (newest && newest.t === now) newest.bytes = bytes;
			else samples.push({ bytes, t: now });
			while (samples.length > 2 && (samples[1]?.t ?? now) <= now - windowMs) samples.shift();
		},
		rate() {
			const first = samples[0];
			const last = samples[samples.length - 1];
			if (!first || !last || last.t - first.t < minSpanMs) return undefined;
			return ((last.bytes - first.bytes) * 1000) / (last.t - first.t);
		},
		etaMs(bytesTotal) {
			const rate = meter.rate();
			const last = samples[samples.length - 1];
			if (rate === undefined || rate <= 0 || !last) return undefined;
			return (Math.max(0, bytesTotal - last.bytes) / rate) * 1000;
		},
		reset() {
			samples = [];
		},
	};
	return meter;
}
