/**
 * What `npm install deis-backup` brings: the bundle's own files (no source
 * maps), a LICENSE, and as dependencies exactly the packages the bundle
 * loads at run time. Reads the built dist/ (npm run build first).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

interface PackedFile {
	path: string;
	size: number;
}

function packDryRun(): Promise<{ files: PackedFile[]; unpackedSize: number }> {
	return new Promise((resolve, reject) => {
		execFile('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
			if (error) reject(error);
			else resolve((JSON.parse(stdout) as Array<{ files: PackedFile[]; unpackedSize: number }>)[0]!);
		});
	});
}

test('the package holds the bundle and a LICENSE, and no source maps', async () => {
	const packed = await packDryRun();
	const paths = packed.files.map((file) => file.path);
	assert.ok(paths.includes('LICENSE'), 'LICENSE');
	assert.ok(paths.includes('dist/cli.js') && paths.includes('dist/child.js'), 'the bundle');
	assert.deepEqual(paths.filter((path) => path.endsWith('.map')), [], 'no source maps');
	const pkg = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { license: string };
	assert.match(await readFile(join(REPO, 'LICENSE'), 'utf8'), new RegExp(`^${pkg.license} License`));
	// The bundle alone; the measured install (with ssh2 and node-ssh) is in README.
	assert.ok(packed.unpackedSize < 10 * 1024 * 1024, `unpacked ${packed.unpackedSize} bytes`);
});

// Loaded inside try/catch or only in development: absent is fine, and installing them is not our call.
const OPTIONAL = new Set(['@aws-sdk/signature-v4-crt', 'utf-8-validate', 'bufferutil', 'react-devtools-core', 'cpu-features']);

test('dependencies are exactly the packages the bundle loads at run time; everything bundled is a devDependency', async () => {
	const pkg = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
	const dist = join(REPO, 'dist');
	const loaded = new Set<string>();
	for (const name of await readdir(dist)) {
		if (!name.endsWith('.js')) continue;
		const code = await readFile(join(dist, name), 'utf8');
		// esbuild writes what it leaves outside the bundle as `from "x";`, `import("x")` or `require("x")`;
		// cluster/ssh-library.ts loads ssh2 and node-ssh with `requireHere("x")`.
		for (const match of code.matchAll(/(?:\bfrom\s*"([@a-z][\w./@-]*)";|\bimport\(\s*"([@a-z][\w./@-]*)"\s*\)|\brequire(?:Here)?\(\s*"([@a-z][\w./@-]*)"\s*\))/g)) {
			const specifier = (match[1] ?? match[2] ?? match[3])!;
			if (specifier.startsWith('node:')) continue;
			const packageName = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
			loaded.add(packageName);
		}
	}
	const { builtinModules } = await import('node:module');
	const external = [...loaded].filter((name) => !builtinModules.includes(name) && !OPTIONAL.has(name)).sort();
	assert.deepEqual(Object.keys(pkg.dependencies).sort(), external, 'dependencies = what dist loads');
	for (const name of ['ink', 'react', 'listr2', '@inquirer/prompts', '@aws-sdk/client-s3', 's3rver']) {
		assert.ok(pkg.devDependencies[name], `${name} is bundled, so a devDependency`);
		assert.ok(!pkg.dependencies[name], `${name} is not installed with the package`);
	}
});
