/**
 * At most `size` calls of the returned wrapper run at once; the rest wait in
 * order. For resources with a hard cap, like an SSH server's sessions, or
 * upload streams shared by whole-file PUTs and parts (the total is what the
 * gateway serves and memory holds).
 */
/** A function that runs work within a limit. */
export type Limit = <T>(work: () => Promise<T>) => Promise<T>;

export function limiter(size: number): Limit {
	let active = 0;
	const waiting: (() => void)[] = [];
	const release = () => {
		active--;
		waiting.shift()?.();
	};
	return async <T>(work: () => Promise<T>): Promise<T> => {
		if (active >= size) await new Promise<void>((resolve) => waiting.push(resolve));
		active++;
		try {
			return await work();
		} finally {
			release();
		}
	};
}
