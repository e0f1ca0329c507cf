/**
 * `deis-backup verify DIR`: every file of a backup re-read against its manifest.
 */
import { resolve } from 'node:path';
import { readManifest } from '../archive/manifest.js';
import { verifyFolder } from '../archive/verify.js';
import { EXIT, UserError } from '../errors.js';
import { formatBytes } from '../ui/format.js';

export async function verifyCommand(positionals: string[]): Promise<number> {
	const [dir] = positionals;
	if (!dir) throw new UserError('Name the backup folder to verify: deis-backup verify DIR.', 2);
	const folder = resolve(dir);
	const manifest = await readManifest(folder);
	const result = await verifyFolder(folder, manifest, () => {});
	for (const problem of result.problems) process.stderr.write(`${problem.problem === 'missing' ? 'missing' : `wrong ${problem.problem}`}: ${problem.file}\n`);
	if (result.problems.length > 0) {
		process.stderr.write(`${result.problems.length} of ${result.checked} files do not match the manifest: this backup cannot be trusted; take a new one.\n`);
		return EXIT.mismatch;
	}
	process.stderr.write(`All ${result.checked} files (${formatBytes(result.bytes)}) match ${folder}/manifest.json.\n`);
	return EXIT.ok;
}
