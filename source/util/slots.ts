/**
 * A limit on streams in flight shared by everything that opens them (several
 * objects at once, some of them in several parts): the total, not each
 * object's share, is what the gateway serves and what memory holds.
 */
export class StreamSlots {
	private active = 0;
	private readonly waiting: (() => void)[] = [];
	constructor(private readonly limit: number) {}

	async run<T>(work: () => Promise<T>): Promise<T> {
		while (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
		this.active++;
		try {
			return await work();
		} finally {
			this.active--;
			this.waiting.shift()?.();
		}
	}
}
