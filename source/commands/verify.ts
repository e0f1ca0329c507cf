/**
 * `deis-backup verify DIR...`: every file of each backup re-read against its
 * manifest. Each folder's verdict goes to stdout; the exit code is the worst.
 */
import { resolve } from 'node:path';
import type { Flags } from '../cli/args.js';
import { readManifest } from '../archive/manifest.js';
import { describeProblem, verifyFolder } from '../archive/verify.js';
import { EXIT, messageOf, UserError } from '../errors.js';
import { formatBytes } from '../ui/format.js';
import { outputModeOf } from './plain-output.js';

interface FolderVerdict {
	folder: string;
	ok: boolean;
	exitCode: number;
	checked: number;
	bytes: number;
	problems: string[];
	error: string | null;
}

export async function verifyCommand(positionals: string[], flags: Partial<Flags> = {}): Promise<number> {
	if (positionals.length === 0) throw new UserError('Name the backup folder to verify: deis-backup verify DIR (or several).', EXIT.usage);
	const mode = outputModeOf(flags as Flags);
	const verdicts: FolderVerdict[] = [];
	for (const dir of positionals) {
		const verdict = await verifyOne(resolve(dir));
		verdicts.push(verdict);
		if (!mode.json) printVerdict(verdict);
	}
	const exitCode = worst(verdicts.map((v) => v.exitCode));
	if (mode.json) process.stdout.write(`${JSON.stringify({ command: 'verify', ok: exitCode === EXIT.ok, exitCode, folders: verdicts })}\n`);
	return exitCode;
}

async function verifyOne(folder: string): Promise<FolderVerdict> {
	try {
		const manifest = await readManifest(folder);
		const result = await verifyFolder(folder, manifest, () => {});
		const problems = result.problems.map(describeProblem);
		return { folder, ok: problems.length === 0, exitCode: problems.length === 0 ? EXIT.ok : EXIT.mismatch, checked: result.checked, bytes: result.bytes, problems, error: null };
	} catch (error) {
		// One unreadable folder does not hide the others' verdicts.
		if (!(error instanceof UserError)) throw error;
		return { folder, ok: false, exitCode: error.exitCode, checked: 0, bytes: 0, problems: [], error: messageOf(error) };
	}
}

function printVerdict(verdict: FolderVerdict): void {
	if (verdict.error) {
		process.stderr.write(`deis-backup: ${verdict.error}\n`);
		return;
	}
	for (const problem of verdict.problems) process.stdout.write(`${problem}\n`);
	if (verdict.problems.length > 0) {
		process.stdout.write(`${verdict.problems.length} of ${verdict.checked} files in ${verdict.folder} do not match the manifest: this backup cannot be trusted; take a new one.\n`);
	} else {
		process.stdout.write(`All ${verdict.checked} files (${formatBytes(verdict.bytes)}) match ${verdict.folder}/manifest.json.\n`);
	}
}

/** Differences (3) outrank a folder that is not a backup (1): the verdict a script most needs to see. */
function worst(codes: number[]): number {
	if (codes.includes(EXIT.mismatch)) return EXIT.mismatch;
	return codes.find((code) => code !== EXIT.ok) ?? EXIT.ok;
}
