import { createRequire } from 'node:module';

// package.json sits one level above both source/ (tsx) and dist/ (compiled).
const pkg = createRequire(import.meta.url)('../package.json') as { name: string; version: string };

export const TOOL = { name: pkg.name, version: pkg.version } as const;
