/**
 * The published bin: source/ bundled by esbuild into a few ES modules in dist/.
 *
 * Ink and its dependencies are ~1,300 small modules; loading them one by one
 * cost most of the first wizard frame. Bundled, the wizard's code loads in a
 * few reads, and each command still imports only its own chunks (splitting).
 * Left outside the bundle: ssh2 and node-ssh (they find native and wasm files
 * next to their own sources) and optional native or dev-only modules. Those two
 * are the package's only dependencies: everything bundled here (Ink, React,
 * listr2, inquirer, the S3 SDK, and the demo's s3rver with its koa, winston and
 * lodash) is a devDependency, so installing deis-backup does not install it twice.
 * Source maps stay in dist/ for working on the code; package.json's "files"
 * leaves them out of the published package, where they were most of its size.
 * Type checking is tsc's job (npm run typecheck); esbuild only strips types.
 */
import { rm } from 'node:fs/promises';
import * as esbuild from 'esbuild';

const outdir = process.argv[2] ?? 'dist';
await rm(outdir, { recursive: true, force: true });
await esbuild.build({
	// child.js is forked by path (source/demo/gateway/process.ts), never imported.
	entryPoints: { cli: 'source/cli.tsx', child: 'source/demo/gateway/child.ts' },
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	outdir,
	// Chunks beside cli.js: relative URLs in the code (../package.json, ./child.js) resolve as from source/.
	chunkNames: '[name]-[hash]',
	sourcemap: true,
	legalComments: 'eof',
	external: ['ssh2', 'node-ssh', 'cpu-features', 'react-devtools-core', '*.node'],
	// Bundled CommonJS packages call require() for Node's built-ins.
	banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
	// React's (and its reconciler's) production build: the development one, chosen at run time
	// when NODE_ENV is unset, doubled the wizard's code and cost ~60 ms of its first frame here.
	define: { 'process.env.NODE_ENV': '"production"' },
	logLevel: 'warning',
});
