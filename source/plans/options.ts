/**
 * What a backup or a restore run is told, and what it does when told
 * nothing. The defaults live here, beside the plans, so that the faces (the
 * commands, the wizard, the demo) each give only what their own flags say.
 */
import { DEFAULT_BODY_SIZE, DEFAULT_CONCURRENCY } from '../validate.js';
import type { Connecting } from './connect.js';
import type { PlanHooks } from './hooks.js';
import type { PlanAnswers } from './types.js';

/** What every run needs from its face: no default makes sense for these. */
export interface RunBasics {
	answers: PlanAnswers;
	signal: AbortSignal;
	hooks: PlanHooks;
	/** A connection the face started before loading the plan: its Connect step joins it (the face abandons it if the run ends first). */
	connecting?: Connecting;
}

export interface BackupOptions extends RunBasics {
	concurrency: number;
	dryRun: boolean;
	/** Scale store-gateway to N before the transfer and back after (deis/deis#3445). */
	scaleGateways?: number;
	/** Download these buckets instead of the database's and the registry's. */
	buckets?: string[];
	/** Leave the platform's etcd settings out of the backup. */
	skipSettings?: boolean;
}

export interface RestoreOptions extends RunBasics {
	concurrency: number;
	dryRun: boolean;
	skipPlatform: boolean;
	skipBuckets: boolean;
	skipController: boolean;
	/** Leave out the final comparison of every object with the backup. */
	skipVerify?: boolean;
	/** Put the router's body size back to what it was when done. */
	resetBodySize: boolean;
	/** The body size to raise the router to (the procedure's 100m). */
	bodySize: string;
	/** How long the new cluster's store gateway, and then its controller, may take to come up once started. */
	gatewayTimeoutMs: number;
	/** Forget what earlier runs of this restore finished (the cluster was rebuilt since). */
	restart?: boolean;
	/** Leave the new cluster's etcd settings as they are, whatever the backup saved. */
	skipSettings?: boolean;
	/** Trust the backup without re-reading it against its manifest first (a huge one already verified). */
	skipPreflight?: boolean;
}

export const backupDefaults = {
	concurrency: DEFAULT_CONCURRENCY,
	dryRun: false,
	skipSettings: false,
} as const satisfies Partial<BackupOptions>;

export const restoreDefaults = {
	concurrency: DEFAULT_CONCURRENCY,
	dryRun: false,
	skipPlatform: false,
	skipBuckets: false,
	skipController: false,
	skipVerify: false,
	resetBodySize: false,
	bodySize: DEFAULT_BODY_SIZE,
	gatewayTimeoutMs: 120_000,
	restart: false,
	skipSettings: false,
	skipPreflight: false,
} as const satisfies Partial<RestoreOptions>;

/** Leaves out what is undefined, so a flag not given keeps the default rather than erasing it. */
type Given<T> = { [K in keyof T]?: T[K] | undefined };

function defined<T extends object>(given: T): Partial<T> {
	return Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) as Partial<T>;
}

export function backupOptions(basics: RunBasics, given: Given<Omit<BackupOptions, keyof RunBasics>> = {}): BackupOptions {
	return { ...backupDefaults, ...defined(given), ...basics };
}

export function restoreOptions(basics: RunBasics, given: Given<Omit<RestoreOptions, keyof RunBasics>> = {}): RestoreOptions {
	return { ...restoreDefaults, ...defined(given), ...basics };
}
