/**
 * Local filesystem failures, said plainly: a full disk is the common one.
 */
import { UserError } from '../errors.js';

/** `neededBytes`: what the step still had to write, when known, so the message can say how much room to make. */
export function explainDiskError(error: unknown, folder: string, neededBytes?: number): UserError | undefined {
	if (error instanceof UserError) return error;
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	if (code === 'ENOSPC' || code === 'EDQUOT') {
		const needed = neededBytes && neededBytes > 0 ? ` (about ${megabytes(neededBytes)} more is needed)` : '';
		return new UserError(`The disk holding ${folder} is full${needed}; free space (or choose another --out) and run the same command again: finished files are kept and the rest resumes.`);
	}
	if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
		return new UserError(`Cannot write in ${folder} (${code}); choose a folder you can write to.`);
	}
	return undefined;
}

/** Decimal units, as the progress display (ui/format.ts), s3cmd and df -H print them, so the numbers compare. */
function megabytes(bytes: number): string {
	return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.max(0.1, bytes / 1e6).toFixed(1)} MB`;
}
