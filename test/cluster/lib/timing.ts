/** Step timings for up/down, printed when DEIS_SIM_TIMING=1 (to see where start-up time goes). */
const t0 = Date.now();

export async function timed<T>(step: string, work: () => Promise<T>): Promise<T> {
	const start = Date.now();
	try {
		return await work();
	} finally {
		if (process.env.DEIS_SIM_TIMING === '1') {
			console.error(`[timing] ${step}: ${Date.now() - start} ms (at ${Date.now() - t0} ms)`);
		}
	}
}
