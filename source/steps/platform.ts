/**
 * The restore's cluster choreography, in the procedure's order: install the
 * platform, start only the store units and a router, raise the router's body
 * size, and (once the data is back) start the whole platform.
 */
import { ROUTER_UNIT, STORE_UNITS } from '../deis.js';
import type { Deisctl } from '../cluster/deisctl.js';
import { findRunning } from '../cluster/fleet-table.js';
import { UserError } from '../errors.js';
import type { Report } from '../progress.js';
import { waitUntil } from '../util/wait.js';

export async function startStore(deisctl: Deisctl, report: Report): Promise<void> {
	report({ stage: 'platform', bytesDone: 0, message: 'deisctl install platform' });
	await deisctl.install('platform');
	for (const [index, unit] of STORE_UNITS.entries()) {
		report({ stage: 'platform', item: unit, bytesDone: 0, itemsDone: index, itemsTotal: STORE_UNITS.length, message: `deisctl start ${unit}` });
		await deisctl.start(unit);
	}
}

export async function startRouter(deisctl: Deisctl): Promise<void> {
	await deisctl.start(ROUTER_UNIT);
}

/** Sizes in nginx's notation (`1m`, `100m`, `512k`), in bytes. */
export function parseBodySize(value: string | undefined): number | undefined {
	const match = /^(\d+)([kKmMgG]?)$/.exec(value?.trim() ?? '');
	if (!match) return undefined;
	const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(match[2] ?? '').toLowerCase() as '' | 'k' | 'm' | 'g'];
	return Number(match[1]) * unit;
}

export const DEIS_DEFAULT_BODY_SIZE = '1m';

/** The router's body size now (unset means Deis' default 1m). */
export async function currentBodySize(deisctl: Deisctl): Promise<string> {
	return (await deisctl.configGet('router', 'bodySize')) ?? DEIS_DEFAULT_BODY_SIZE;
}

/** Raises the body size to `wanted` unless `previous` is already as large; true when it changed. */
export async function raiseBodySize(deisctl: Deisctl, previous: string, wanted: string): Promise<boolean> {
	if ((parseBodySize(previous) ?? 0) >= (parseBodySize(wanted) ?? Infinity)) return false;
	await deisctl.configSet('router', 'bodySize', wanted);
	return true;
}

/**
 * The new gateway generates its keys when it first starts: wait for them, then
 * for it to answer. `probe` reads the keys and asks the gateway something they
 * must open; it throws until both work.
 */
export async function waitForGateway(probe: () => Promise<void>, timeoutMs: number, signal?: AbortSignal): Promise<void> {
	let lastError: unknown;
	const answered = await waitUntil(
		async () => {
			try {
				await probe();
				return true;
			} catch (error) {
				lastError = error;
				return undefined;
			}
		},
		{ timeoutMs, intervalMs: 500, signal },
	);
	// Ctrl-C ends the wait early: that is a stop to resume, not a gateway that never came up.
	if (!answered && signal?.aborted) throw new UserError('Stopped while waiting for the store gateway; run the same command again to resume.', 130);
	if (!answered) {
		throw new UserError(`The new cluster's store gateway did not answer within ${Math.round(timeoutMs / 1000)} s (${(lastError as Error | undefined)?.message ?? 'no answer'}); check \`deisctl list\` shows store-gateway@1 and router@1 running.`);
	}
}

export async function startPlatform(deisctl: Deisctl): Promise<void> {
	await deisctl.start('platform');
}

/** The controller must be up before it can re-publish its models. */
export async function waitForUnit(deisctl: Deisctl, component: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
	const row = await waitUntil(async () => findRunning(await deisctl.list(), component), { timeoutMs, intervalMs: 1000, signal });
	if (!row && signal?.aborted) throw new UserError(`Stopped while waiting for ${component} to start; run the same command again to resume.`, 130);
	if (!row) throw new UserError(`${component} did not start within ${Math.round(timeoutMs / 1000)} s; check \`deisctl list\` and the unit's journal, then run the restore again.`);
}
