/**
 * Local filesystem failures, said plainly: a full disk is the common one.
 */
import { UserError } from '../errors.js';

export function explainDiskError(error: unknown, folder: string): UserError | undefined {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	if (code === 'ENOSPC' || code === 'EDQUOT') {
		return new UserError(`The disk holding ${folder} is full; free space (or choose another --out) and run the same command again: finished files are kept and the rest resumes.`);
	}
	if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
		return new UserError(`Cannot write in ${folder} (${code}); choose a folder you can write to.`);
	}
	return undefined;
}
