/**
 * `deis-backup verify DIR`: every file the manifest names, re-read and hashed.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from '../progress.js';
import { hashFile } from '../util/hash-file.js';
import { runPool } from '../util/pool.js';
import type { Manifest } from './manifest.js';

export interface VerifyProblem {
	file: string;
	problem: 'missing' | 'size' | 'checksum';
}

export interface VerifyResult {
	checked: number;
	bytes: number;
	problems: VerifyProblem[];
}

interface Expected {
	file: string;
	size: number;
	sha256: string;
}

export function expectedFiles(manifest: Manifest): Expected[] {
	const files: Expected[] = [];
	for (const bucket of manifest.buckets) {
		for (const object of bucket.objects) files.push({ file: `${bucket.folder}/${object.path}`, size: object.size, sha256: object.sha256 });
	}
	for (const entry of [manifest.volume, manifest.database, manifest.settings]) {
		if (entry) files.push({ file: entry.file, size: entry.size, sha256: entry.sha256 });
	}
	return files;
}

export async function verifyFolder(folder: string, manifest: Manifest, report: Report, concurrency = 8): Promise<VerifyResult> {
	const files = expectedFiles(manifest);
	const bytesTotal = files.reduce((sum, file) => sum + file.size, 0);
	const problems: VerifyProblem[] = [];
	let bytesDone = 0;
	let itemsDone = 0;
	await runPool(files, concurrency, async (expected) => {
		const path = join(folder, expected.file);
		const size = await stat(path).then(
			(info) => info.size,
			() => undefined,
		);
		if (size === undefined) problems.push({ file: expected.file, problem: 'missing' });
		else if (size !== expected.size) problems.push({ file: expected.file, problem: 'size' });
		else if ((await hashFile(path, 'sha256')) !== expected.sha256) problems.push({ file: expected.file, problem: 'checksum' });
		bytesDone += expected.size;
		itemsDone++;
		report({ stage: 'verify', item: expected.file, bytesDone, bytesTotal, itemsDone, itemsTotal: files.length });
	});
	return { checked: files.length, bytes: bytesTotal, problems };
}

/** One line an operator can act on: `wrong checksum: buckets/db_wal/base/1`. */
export function describeProblem(problem: VerifyProblem): string {
	return `${problem.problem === 'missing' ? 'missing' : `wrong ${problem.problem}`}: ${problem.file}`;
}
