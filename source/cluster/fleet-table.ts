/**
 * Parses `deisctl list`: fleet's table of units and the machines they run on.
 *
 *   UNIT                        MACHINE                     LOAD    ACTIVE  SUB
 *   deis-database@1.service     dea53588.../172.17.8.100    loaded  active  running
 */
export interface UnitRow {
	unit: string;
	machineId: string;
	ip: string;
	load: string;
	active: string;
	sub: string;
}

export function parseFleetTable(text: string): UnitRow[] {
	const rows: UnitRow[] = [];
	for (const line of text.split('\n')) {
		const cells = line.trim().split(/\s+/);
		if (cells.length < 5 || cells[0] === 'UNIT') continue;
		const [unit, machine, load, active, sub] = cells as [string, string, string, string, string];
		const slash = machine.lastIndexOf('/');
		rows.push({
			unit,
			machineId: slash >= 0 ? machine.slice(0, slash).replace(/\.\.\.$/, '') : machine,
			ip: slash >= 0 ? machine.slice(slash + 1) : '',
			load,
			active,
			sub,
		});
	}
	return rows;
}

/** The running instance of a component (`deis-database`), if fleet shows one. */
export function findRunning(rows: readonly UnitRow[], component: string): UnitRow | undefined {
	const matches = rows.filter((row) => row.unit === `${component}.service` || row.unit.startsWith(`${component}@`));
	return matches.find((row) => row.active === 'active' && row.sub === 'running') ?? undefined;
}
