/**
 * How many requests go to the gateway at once: up to the configured
 * concurrency, halved when the gateway pushes back (503 SlowDown), then grown
 * again by one for every window of successes (additive increase,
 * multiplicative decrease, as TCP does), so an overloaded gateway sees fewer
 * clients' worth of requests instead of the same storm retried.
 */
export class AdaptiveGate {
	private limit: number;
	private active = 0;
	private successes = 0;
	private lastCut = 0;
	private readonly waiting: (() => void)[] = [];

	constructor(private readonly max: number) {
		this.limit = Math.max(1, max);
	}

	get allowed(): number {
		return this.limit;
	}

	/** Waits for a slot; call the returned function once the request and its body are done. */
	async acquire(): Promise<(outcome: 'ok' | 'pushback' | 'other') => void> {
		while (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
		this.active++;
		let released = false;
		return (outcome) => {
			if (released) return;
			released = true;
			this.active--;
			this.record(outcome);
			this.wake();
		};
	}

	private record(outcome: 'ok' | 'pushback' | 'other'): void {
		if (outcome === 'pushback') {
			// Answers to requests sent before the cut say nothing new: one cut per moment.
			const now = Date.now();
			if (now - this.lastCut > 500) {
				this.limit = Math.max(1, Math.floor(this.limit / 2));
				this.lastCut = now;
			}
			this.successes = 0;
		} else if (outcome === 'ok' && this.limit < this.max && ++this.successes >= this.limit) {
			this.limit++;
			this.successes = 0;
		}
	}

	private wake(): void {
		// Woken waiters re-check the limit when they run.
		for (let free = this.limit - this.active; free > 0 && this.waiting.length > 0; free--) this.waiting.shift()?.();
	}
}
