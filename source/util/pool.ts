/**
 * Runs `work` over items with at most `concurrency` in flight. The first
 * failure stops new work and is thrown once the running ones settle, so no
 * error is dropped and no worker is left writing after we return.
 */
export async function runPool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
	let next = 0;
	let failure: { error: unknown } | undefined;
	const worker = async () => {
		while (!failure && next < items.length) {
			if (signal?.aborted) {
				failure ??= { error: signal.reason ?? new Error('aborted') };
				return;
			}
			const item = items[next++] as T;
			try {
				await work(item);
			} catch (error) {
				failure ??= { error };
			}
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
	if (failure) throw failure.error;
}
