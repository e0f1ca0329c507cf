/**
 * Small switches tests flip: fault injection, the controller's version, and
 * which mode (source or fresh) the cluster is in.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { paths } from './paths.js';

/** Known faults: `pg_dumpall` makes `docker exec deis-database ... pg_dumpall` fail half-way. */
export type FaultName = 'pg_dumpall';

export function setFault(name: FaultName, on: boolean): void {
	mkdirSync(paths.faults, { recursive: true });
	const file = join(paths.faults, name);
	if (on) writeFileSync(file, '');
	else rmSync(file, { force: true });
}

export function clearFaults(): void {
	rmSync(paths.faults, { recursive: true, force: true });
	mkdirSync(paths.faults, { recursive: true });
}

/** `new` controllers have `manage.py load_db_state_to_etcd` (Deis after PR #4394); `old` ones do not. */
export type ControllerVersion = 'old' | 'new';

export function setControllerVersion(version: ControllerVersion): void {
	writeFileSync(paths.controllerVersion, `${version}\n`);
}

export type ClusterMode = 'source' | 'fresh';

export function setMode(mode: ClusterMode): void {
	writeFileSync(paths.mode, `${mode}\n`);
}

export function currentMode(): ClusterMode | undefined {
	if (!existsSync(paths.mode)) return undefined;
	const mode = readFileSync(paths.mode, 'utf8').trim();
	return mode === 'source' || mode === 'fresh' ? mode : undefined;
}
