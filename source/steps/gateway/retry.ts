/**
 * Whole-object retries, on top of the S3 client's own request retries.
 *
 * The SDK retries a request that fails before its answer starts, but once a
 * response body is streaming (a download) or a request body has been read
 * from its file (an upload), a reset, a stall or a cut-short answer surfaces
 * here instead. Such an object is transferred again from the start, a few
 * times, with exponential backoff and full jitter so that many workers
 * hitting one overloaded gateway do not come back in step.
 */
import { setTimeout as delay } from 'node:timers/promises';

/** A body that ended before the length the gateway announced (a truncated answer). */
export class ShortTransfer extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ShortTransfer';
	}
}

const TRANSIENT_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET']);
const TRANSIENT_NAMES = new Set(['ShortTransfer', 'TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'SlowDown', 'ServiceUnavailable', 'InternalError', 'ThrottlingException']);

/** A failure a new attempt can fix: the connection, not the request, went wrong. */
export function isTransient(error: unknown): boolean {
	const e = (error ?? {}) as { name?: string; code?: string; message?: string; cause?: { code?: string }; $metadata?: { httpStatusCode?: number; attempts?: number } };
	if (e.name === 'AbortError') return false;
	// The SDK already spent its own attempts (with backoff) on this request: retrying on top would multiply them.
	if (e.$metadata?.attempts !== undefined) return false;
	if (TRANSIENT_NAMES.has(e.name ?? '')) return true;
	if (TRANSIENT_CODES.has(e.code ?? '') || TRANSIENT_CODES.has(e.cause?.code ?? '')) return true;
	const status = e.$metadata?.httpStatusCode;
	if (status !== undefined && (status >= 500 || status === 429)) return true;
	return /socket hang up|aborted|premature close|terminated/i.test(e.message ?? '');
}

export interface RetryOptions {
	/** Attempts in all, the first included. */
	attempts?: number;
	baseDelayMs?: number;
	maxDelayMs?: number;
	signal?: AbortSignal;
}

export async function withRetries<T>(work: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
	const attempts = options.attempts ?? 5;
	const base = options.baseDelayMs ?? 250;
	const cap = options.maxDelayMs ?? 8_000;
	for (let attempt = 1; ; attempt++) {
		try {
			return await work(attempt);
		} catch (error) {
			if (attempt >= attempts || options.signal?.aborted || !isTransient(error)) throw error;
			// Full jitter: anywhere between 0 and the exponential ceiling.
			const ceiling = Math.min(cap, base * 2 ** (attempt - 1));
			await delay(Math.random() * ceiling, undefined, { signal: options.signal }).catch(() => undefined);
			if (options.signal?.aborted) throw error;
		}
	}
}

/**
 * Retries a transfer that reports bytes as they move; a failed attempt's bytes
 * are taken back, so progress totals stay true across attempts.
 */
export function withRetriedProgress<T>(transfer: (onBytes: (delta: number) => void) => Promise<T>, onBytes: (delta: number) => void, options: RetryOptions = {}): Promise<T> {
	return withRetries(async () => {
		let counted = 0;
		try {
			return await transfer((delta) => {
				counted += delta;
				onBytes(delta);
			});
		} catch (error) {
			if (counted > 0) onBytes(-counted);
			throw error;
		}
	}, options);
}
