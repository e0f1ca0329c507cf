/**
 * What a restore would do with the saved settings on a given new cluster:
 * one row per key (new, same, different, never copied) with whether it is
 * applied by default, and the values to write kept apart from the rows so
 * screens never hold a secret.
 */
import type { SavedSettings } from '../../archive/settings-file.js';
import { absoluteKey, classify, isStockImage, relativeKey, storeModeOf, translateValue, type StoreMode } from './catalog.js';
import { shownValue } from './display.js';
import type { DeisTree } from './read.js';
import { describeUpgrade, type UpgradeNote } from './version.js';

export type RowStatus = 'new' | 'same' | 'different' | 'never';

export interface SettingRow {
	/** The key on the new cluster, below /deis (`router/sslCert`); for a group of never-copied keys, the first of them. */
	key: string;
	/** The backup's name for it when an older release called it otherwise. */
	from?: string;
	status: RowStatus;
	secret: boolean;
	/** The backup's value as it may be shown. */
	shown: string;
	/** The new cluster's value as it may be shown, when it has one. */
	current?: string;
	/** The operator may tick or untick it. */
	choosable: boolean;
	/** Applied unless the operator unticks it. */
	chosen: boolean;
	/** Written before the store units first start. */
	early: boolean;
	/** Why it is not copied, or not by default. */
	note?: string;
	/** A row standing for this many never-copied keys of one reason. */
	count?: number;
}

export interface SettingsPlan {
	rows: SettingRow[];
	upgrade: UpgradeNote;
}

export interface PlanInput {
	saved: SavedSettings;
	/** The new cluster's /deis. */
	target: DeisTree;
	/** The domain the new cluster serves (its /deis/platform/domain, else the one given). */
	targetDomain: string;
	fromVersion?: string;
	toVersion?: string;
}

export interface BuiltPlan {
	plan: SettingsPlan;
	/** Relative key → the exact value to write, for every choosable row. */
	values: Map<string, string>;
}

export function buildSettingsPlan(input: PlanInput): BuiltPlan {
	const { saved, target } = input;
	const mode = savedMode(saved);
	const rows: SettingRow[] = [];
	const never: SettingRow[] = [];
	const values = new Map<string, string>();
	const savedRelative = new Set(Object.keys(saved.operator).map(relativeKey));
	for (const [fullKey, stored] of Object.entries(saved.operator).sort(([a], [b]) => a.localeCompare(b))) {
		const info = classify(fullKey, mode);
		const name = relativeKey(fullKey);
		if (info.kind === 'renamed' && info.renamedTo && savedRelative.has(info.renamedTo)) {
			never.push(neverRow(name, stored, info.secret, `superseded by ${info.renamedTo}, also in the backup`));
			continue;
		}
		if (info.kind !== 'operator' && info.kind !== 'renamed') {
			never.push(neverRow(name, stored, info.secret, info.reason ?? 'not an operator setting'));
			continue;
		}
		const key = info.renamedTo ?? name;
		const value = info.kind === 'renamed' ? translateValue(fullKey, stored) : stored;
		const existing = target.values.get(absoluteKey(key));
		const status: RowStatus = existing === undefined ? 'new' : existing === value ? 'same' : 'different';
		const held = heldBack(key, value, input.targetDomain);
		const row: SettingRow = {
			key,
			status,
			secret: info.secret,
			shown: shownValue(value, info.secret),
			choosable: status !== 'same',
			chosen: status !== 'same' && held === undefined,
			early: info.early === true,
		};
		if (info.kind === 'renamed') row.from = name;
		if (existing !== undefined && status === 'different') row.current = shownValue(existing, info.secret);
		if (held && status !== 'same') row.note = held;
		if (info.early && status !== 'same') row.note = 'set before the store units first start, as Ceph reads it only then';
		rows.push(row);
		if (row.choosable) values.set(key, value);
	}
	for (const [fullKey, value] of Object.entries(saved.unknown).sort(([a], [b]) => a.localeCompare(b))) {
		never.push(neverRow(relativeKey(fullKey), value, true, 'unknown to deis-backup: kept in the backup, never applied'));
	}
	never.push(...generatedGroups(saved.generated, mode));
	return { plan: { rows: [...rows, ...never], upgrade: describeUpgrade(input.fromVersion, input.toVersion) }, values };
}

/** The store mode the saved cluster ran in: which of its keys were the operator's depends on it. */
export function savedMode(saved: SavedSettings): StoreMode {
	return storeModeOf([...Object.keys(saved.operator), ...Object.keys(saved.unknown), ...saved.generated]);
}

/** Operator keys that are left out unless the operator ticks them, and why. */
function heldBack(key: string, value: string, targetDomain: string): string | undefined {
	if (key === 'platform/version') return 'the new cluster keeps its own release (deisctl config platform set version=…)';
	if (key === 'platform/domain' && value !== targetDomain) return `the new cluster serves ${targetDomain}`;
	if (/\/image$/.test(key) && isStockImage(value)) return 'a stock image would pin the old release';
	return undefined;
}

function neverRow(key: string, value: string, secret: boolean, note: string): SettingRow {
	return { key, status: 'never', secret, shown: shownValue(value, secret), choosable: false, chosen: false, early: false, note };
}

/** One row per reason: a cluster publishes dozens of liveness and model keys. */
function generatedGroups(keys: readonly string[], mode: StoreMode): SettingRow[] {
	const groups = new Map<string, string[]>();
	for (const key of [...keys].sort()) {
		const reason = classify(key, mode).reason ?? 'generated by the platform';
		groups.set(reason, [...(groups.get(reason) ?? []), relativeKey(key)]);
	}
	return [...groups].map(([reason, names]) => ({
		key: names[0] as string,
		status: 'never' as const,
		secret: false,
		shown: '',
		choosable: false,
		chosen: false,
		early: false,
		note: `generated: ${reason}`,
		count: names.length,
	}));
}

/** The rows to write: the defaults, with the operator's ticks and unticks (key → apply) laid over them. */
export function chosenKeys(plan: SettingsPlan, choice: Record<string, boolean> = {}): string[] {
	return plan.rows.filter((row) => row.choosable && (Object.hasOwn(choice, row.key) ? choice[row.key] : row.chosen)).map((row) => row.key);
}
