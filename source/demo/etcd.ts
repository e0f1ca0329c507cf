/**
 * An in-memory stand-in for etcd's v2 key space: directories and string values.
 *
 * Only what the demo's deisctl, etcdctl and controller need; tests read it
 * directly to check what the procedure wrote.
 */
export class EtcdError extends Error {
	constructor(
		readonly code: number,
		readonly key: string,
		message: string,
	) {
		super(message);
	}
}

function normalize(key: string): string {
	const parts = key.split('/').filter((p) => p.length > 0);
	return '/' + parts.join('/');
}

export class DemoEtcd {
	/** key → value; `null` marks a directory. The root '/' is implicit. */
	readonly #nodes = new Map<string, string | null>();

	get(key: string): string | undefined {
		const v = this.#nodes.get(normalize(key));
		return v === null ? undefined : v;
	}

	has(key: string): boolean {
		const k = normalize(key);
		return k === '/' || this.#nodes.has(k);
	}

	isDir(key: string): boolean {
		const k = normalize(key);
		return k === '/' || this.#nodes.get(k) === null;
	}

	set(key: string, value: string): void {
		const k = normalize(key);
		if (this.#nodes.get(k) === null) throw new EtcdError(102, k, `Not a file (${k})`);
		this.#mkParents(k);
		this.#nodes.set(k, value);
	}

	mkdir(key: string): void {
		const k = normalize(key);
		const existing = this.#nodes.get(k);
		if (existing === null) return;
		if (existing !== undefined) throw new EtcdError(104, k, `Not a directory (${k})`);
		this.#mkParents(k);
		this.#nodes.set(k, null);
	}

	/** Children first-level or all descendants, sorted like etcdctl's output. */
	ls(dir: string, recursive = false): string[] {
		const k = normalize(dir);
		if (!this.isDir(k)) {
			if (this.#nodes.has(k)) return [k];
			throw new EtcdError(100, k, `Key not found (${k})`);
		}
		const prefix = k === '/' ? '/' : k + '/';
		const out: string[] = [];
		for (const key of this.#nodes.keys()) {
			if (!key.startsWith(prefix)) continue;
			if (!recursive && key.slice(prefix.length).includes('/')) continue;
			out.push(key);
		}
		return out.sort();
	}

	/** Deletes a key, or a directory and everything below it. Missing keys are not an error. */
	rm(key: string, opts: { recursive?: boolean } = {}): void {
		const k = normalize(key);
		if (this.#nodes.get(k) === null) {
			const below = this.ls(k, true);
			if (below.length > 0 && !opts.recursive) throw new EtcdError(108, k, `Directory not empty (${k})`);
			for (const child of below) this.#nodes.delete(child);
		}
		this.#nodes.delete(k);
	}

	/** A plain snapshot of every value, for tests and for dumping. */
	entries(): Record<string, string> {
		const out: Record<string, string> = {};
		for (const [k, v] of [...this.#nodes.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) if (v !== null) out[k] = v;
		return out;
	}

	#mkParents(k: string): void {
		const parts = k.split('/').slice(1, -1);
		let path = '';
		for (const p of parts) {
			path += '/' + p;
			const existing = this.#nodes.get(path);
			if (existing === undefined) this.#nodes.set(path, null);
			else if (existing !== null) throw new EtcdError(104, path, `Not a directory (${path})`);
		}
	}
}
