/**
 * The layering of ARCHITECTURE.md, checked on every import in source/:
 * imports only go down (or stay within a layer), and no module reaches
 * itself again through its imports. Dynamic `import()` counts: loading a
 * module later does not change which way the dependency points.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SOURCE = resolve(dirname(fileURLToPath(import.meta.url)), '../../source');

/**
 * Layers from the top; a module may import its own layer and any below.
 * Siblings in one entry (cluster, archive) may not import each other.
 * `config` resolves connection settings (flags, environment, profiles,
 * ssh_config) from plain inputs, so plans and adapters may use it.
 * `shared` is the root's vocabulary every layer speaks (errors, progress,
 * settings, validation, Deis constants); the demo stands beside the layers and
 * speaks only the shared vocabulary and util.
 */
const LAYERS: ReadonlyArray<{ names: readonly string[]; rank: number }> = [
	{ names: ['face'], rank: 6 },
	{ names: ['plans'], rank: 5 },
	{ names: ['steps'], rank: 4 },
	{ names: ['cluster', 'archive'], rank: 3 },
	{ names: ['config'], rank: 2.5 },
	{ names: ['util'], rank: 2 },
	{ names: ['shared'], rank: 1 },
];

function layerOf(file: string): string {
	const path = relative(SOURCE, file);
	const [top] = path.split('/');
	if (path === 'cli.tsx' || top === 'cli' || top === 'commands' || top === 'ui') return 'face';
	if (top === 'plans' || top === 'steps' || top === 'cluster' || top === 'archive' || top === 'config' || top === 'util' || top === 'demo') return top;
	if (!path.includes('/')) return 'shared';
	throw new Error(`${path}: no layer for the folder ${top}; add it to ARCHITECTURE.md and to this test`);
}

const rankOf = (layer: string) => LAYERS.find((l) => l.names.includes(layer))?.rank ?? Number.NaN;

function allowed(from: string, to: string): boolean {
	if (from === to) return true;
	if (from === 'demo') return to === 'shared' || to === 'util';
	if (to === 'demo') return from === 'face';
	// The face never talks to SSH or S3 itself: connecting and probing are plan work.
	if (from === 'face' && to === 'cluster') return false;
	return rankOf(from) > rankOf(to);
}

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return /\.tsx?$/.test(name) ? [path] : [];
	});
}

/** Relative imports of a file, resolved to source files (`.js` in specifiers names the `.ts`/`.tsx`). */
function importsOf(file: string): string[] {
	const text = readFileSync(file, 'utf8');
	const specifiers = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) => m[1] as string);
	return specifiers.map((specifier) => {
		const base = resolve(dirname(file), specifier).replace(/\.js$/, '');
		for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
			try {
				if (statSync(candidate).isFile()) return candidate;
			} catch {
				// the next candidate
			}
		}
		throw new Error(`${relative(SOURCE, file)} imports ${specifier}, which is not a source file`);
	});
}

const files = sourceFiles(SOURCE);
const graph = new Map(files.map((file) => [file, importsOf(file)]));

test('the checker sees the source tree', () => {
	assert.ok(files.length > 50, `${files.length} files`);
	assert.ok([...graph.values()].flat().length > 100, 'imports found');
});

test('imports only go down the layers', () => {
	const wrong: string[] = [];
	for (const [file, imports] of graph) {
		const from = layerOf(file);
		for (const target of imports) {
			const to = layerOf(target);
			if (!allowed(from, to)) wrong.push(`${relative(SOURCE, file)} (${from}) imports ${relative(SOURCE, target)} (${to})`);
		}
	}
	assert.deepEqual(wrong, []);
});

test('no import cycles', () => {
	const cycles: string[] = [];
	const state = new Map<string, 'open' | 'done'>();
	const stack: string[] = [];
	const visit = (file: string) => {
		state.set(file, 'open');
		stack.push(file);
		for (const target of graph.get(file) ?? []) {
			if (state.get(target) === 'open') cycles.push([...stack.slice(stack.indexOf(target)), target].map((f) => relative(SOURCE, f)).join(' → '));
			else if (!state.has(target)) visit(target);
		}
		stack.pop();
		state.set(file, 'done');
	};
	for (const file of files) if (!state.has(file)) visit(file);
	assert.deepEqual(cycles, []);
});

test('the rules themselves: down is allowed, up and sideways between siblings are not', () => {
	assert.ok(allowed('face', 'plans') && allowed('plans', 'steps') && allowed('steps', 'cluster') && allowed('cluster', 'util') && allowed('util', 'shared'));
	assert.ok(!allowed('steps', 'plans') && !allowed('cluster', 'archive') && !allowed('archive', 'cluster') && !allowed('util', 'cluster'));
	assert.ok(!allowed('demo', 'cluster') && allowed('demo', 'shared') && allowed('face', 'demo') && !allowed('plans', 'demo'));
	assert.ok(!allowed('face', 'cluster') && allowed('face', 'plans') && allowed('face', 'shared'));
	assert.ok(allowed('plans', 'config') && allowed('cluster', 'config') && !allowed('config', 'archive') && !allowed('config', 'plans'));
});
