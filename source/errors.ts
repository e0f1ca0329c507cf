/**
 * An error meant for the operator: one plain sentence saying what went wrong
 * and what to do next. Anything else that escapes is a bug and is reported
 * as such, with the exit code telling the two apart.
 */
export class UserError extends Error {
	constructor(
		message: string,
		readonly exitCode: number = 1,
	) {
		super(message);
		this.name = 'UserError';
	}
}

export const EXIT = {
	ok: 0,
	failed: 1,
	usage: 2,
	/** A check found the backup or the restore not matching. */
	mismatch: 3,
	interrupted: 130,
} as const;

export function messageOf(error: unknown): string {
	if (error instanceof Error) return error.message;
	return String(error);
}
