/**
 * How long a connection may stay silent before it is treated as dead.
 *
 * The S3 client's socket timeout and the SSH keepalives both derive from
 * one value, so a stalled gateway or host ends the attempt after a bounded
 * time instead of hanging the run. DEIS_BACKUP_IDLE_TIMEOUT_MS overrides the
 * default for very slow links (and lets the fault tests stall quickly).
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

export function idleTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
	const value = Number(env.DEIS_BACKUP_IDLE_TIMEOUT_MS);
	return Number.isInteger(value) && value >= 200 && value <= 3_600_000 ? value : DEFAULT_IDLE_TIMEOUT_MS;
}
