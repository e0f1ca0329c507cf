/**
 * The fleet unit table of a one-machine Deis v1 cluster, as deisctl sees it.
 */
export interface UnitState {
	/** Full fleet unit name, e.g. `deis-store-gateway@1.service`. */
	unit: string;
	/** `<machine id prefix>.../<host ip>`, as fleet prints it. */
	machine: string;
	load: 'loaded';
	active: 'active' | 'inactive';
	sub: 'running' | 'dead';
}

/** Deis v1's platform in `deisctl start platform` order (store first, router last). */
export const PLATFORM_COMPONENTS = [
	'store-monitor',
	'store-daemon',
	'store-metadata',
	'store-gateway@1',
	'store-volume',
	'logger',
	'logspout',
	'database',
	'registry@1',
	'controller',
	'builder',
	'publisher',
	'router@1',
] as const;

export class UnitError extends Error {}

/** `store-gateway@1`, `deis-store-gateway@1` or `deis-store-gateway@1.service` → the fleet name. */
export function unitName(name: string): string {
	let n = name.endsWith('.service') ? name.slice(0, -'.service'.length) : name;
	if (!n.startsWith('deis-')) n = `deis-${n}`;
	return `${n}.service`;
}

/** The component part of a fleet name: `deis-store-gateway@2.service` → `store-gateway`. */
export function componentOf(unit: string): string {
	return unit.replace(/^deis-/, '').replace(/\.service$/, '').replace(/@.*$/, '');
}

export class DemoUnits {
	readonly #units = new Map<string, UnitState>();

	constructor(
		readonly machine: string,
		state: 'absent' | 'running',
	) {
		if (state === 'running') {
			for (const u of this.install('platform')) this.start(u);
		}
	}

	/** Installs the platform's units (loaded, inactive); already installed ones are kept. */
	install(target: string): string[] {
		if (target !== 'platform') {
			const name = unitName(target);
			this.#add(name);
			return [name];
		}
		return PLATFORM_COMPONENTS.map((c) => this.#add(unitName(c)));
	}

	/** Unit names a deisctl argument refers to, in start order. */
	resolve(target: string): string[] {
		if (target === 'platform') return [...this.#units.keys()];
		const name = unitName(target);
		if (this.#units.has(name)) return [name];
		// a bare component with instances (`router`) means every instance of it
		if (!target.includes('@')) {
			const component = componentOf(name);
			const instances = [...this.#units.keys()].filter((u) => u.includes('@') && componentOf(u) === component);
			if (instances.length > 0) return instances;
		}
		throw new UnitError(`${name} not found`);
	}

	start(unit: string): void {
		this.#get(unit).active = 'active';
		this.#get(unit).sub = 'running';
	}

	stop(unit: string): void {
		this.#get(unit).active = 'inactive';
		this.#get(unit).sub = 'dead';
	}

	/** Sets a component's instance count; new instances start, surplus ones are destroyed. */
	scale(component: string, count: number): void {
		const current = [...this.#units.keys()].filter((u) => u.includes('@') && componentOf(u) === component);
		for (let i = 1; i <= count; i++) {
			const name = unitName(`${component}@${i}`);
			if (!this.#units.has(name)) this.#add(name);
			this.start(name);
		}
		for (const name of current) {
			const n = Number(/@(\d+)/.exec(name)?.[1]);
			if (n > count) this.#units.delete(name);
		}
	}

	/** True when at least one unit of the component is running. */
	isRunning(component: string): boolean {
		for (const u of this.#units.values()) if (componentOf(u.unit) === component && u.active === 'active') return true;
		return false;
	}

	list(): UnitState[] {
		return [...this.#units.values()].map((u) => ({ ...u })).sort((a, b) => (a.unit < b.unit ? -1 : 1));
	}

	/** fleetctl's tab-aligned table. */
	table(): string {
		const rows = [['UNIT', 'MACHINE', 'LOAD', 'ACTIVE', 'SUB'], ...this.list().map((u) => [u.unit, u.machine, u.load, u.active, u.sub])];
		const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length)) + 1);
		return rows.map((r) => r.map((cell, i) => (i < 4 ? cell.padEnd(widths[i]!) : cell)).join('')).join('\n') + '\n';
	}

	#add(name: string): string {
		if (!this.#units.has(name)) this.#units.set(name, { unit: name, machine: this.machine, load: 'loaded', active: 'inactive', sub: 'dead' });
		return name;
	}

	#get(unit: string): UnitState {
		const u = this.#units.get(unit);
		if (!u) throw new UnitError(`${unit} not found`);
		return u;
	}
}
