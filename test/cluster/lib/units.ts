/**
 * fleet's unit table (.cluster/units.tsv) that the deisctl shim reads and
 * changes: `<unit>\t<machine ip>\t<load>\t<active>\t<sub>`, load "-" when the
 * unit is not installed. Tests read it, and may move a unit to another machine.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { LOOPBACK, paths } from './paths.js';

/** Deis v1's platform units (deisctl install platform). */
export const PLATFORM_UNITS = [
	'deis-builder@1.service',
	'deis-cache@1.service',
	'deis-controller@1.service',
	'deis-database@1.service',
	'deis-database-data.service',
	'deis-logger@1.service',
	'deis-logger-data.service',
	'deis-logspout.service',
	'deis-publisher.service',
	'deis-registry@1.service',
	'deis-router@1.service',
	'deis-store-admin.service',
	'deis-store-daemon.service',
	'deis-store-gateway@1.service',
	'deis-store-metadata.service',
	'deis-store-monitor.service',
	'deis-store-volume.service',
] as const;

export interface UnitState {
	unit: string;
	machine: string;
	load: string;
	active: string;
	sub: string;
}

export function readUnits(): UnitState[] {
	return readFileSync(paths.units, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map((line) => {
			const [unit = '', machine = '', load = '', active = '', sub = ''] = line.split('\t');
			return { unit, machine, load, active, sub };
		});
}

export function writeUnits(units: readonly UnitState[]): void {
	const tmp = `${paths.units}.tmp`;
	writeFileSync(tmp, units.map((u) => [u.unit, u.machine, u.load, u.active, u.sub].join('\t') + '\n').join(''));
	// Atomic for the shims reading it concurrently.
	renameSync(tmp, paths.units);
}

const isDataContainer = (unit: string) => unit.endsWith('-data.service');

/** A running cluster: every platform unit active on this host. */
export function sourceUnits(): UnitState[] {
	return PLATFORM_UNITS.map((unit) => ({
		unit, machine: LOOPBACK, load: 'loaded', active: 'active', sub: isDataContainer(unit) ? 'exited' : 'running',
	}));
}

/** A new cluster before `deisctl install platform`: fleet knows no units. */
export function freshUnits(): UnitState[] {
	return PLATFORM_UNITS.map((unit) => ({ unit, machine: LOOPBACK, load: '-', active: '-', sub: '-' }));
}

/** Puts a unit on another machine (e.g. the database on a second host), keeping its state. */
export function setUnitMachine(unit: string, ip: string): void {
	const units = readUnits();
	const found = units.find((u) => u.unit === unit);
	if (!found) throw new Error(`unknown unit ${unit}`);
	found.machine = ip;
	writeUnits(units);
}
