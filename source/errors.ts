/**
 * An error meant for the operator: one plain sentence saying what went wrong
 * and what to do next. Anything else that escapes is a bug and is reported
 * as such, with the exit code telling the two apart.
 */
export const EXIT = {
	ok: 0,
	failed: 1,
	usage: 2,
	/** A check found the backup or the restore not matching. */
	mismatch: 3,
	interrupted: 130,
} as const;

/** Why a run ended badly; each kind has one exit code, the same in every face. */
export type ErrorKind = 'failed' | 'usage' | 'mismatch' | 'interrupted';

const KIND_EXIT: Record<ErrorKind, number> = { failed: EXIT.failed, usage: EXIT.usage, mismatch: EXIT.mismatch, interrupted: EXIT.interrupted };

function kindOfExit(code: number): ErrorKind {
	if (code === EXIT.usage) return 'usage';
	if (code === EXIT.mismatch) return 'mismatch';
	if (code === EXIT.interrupted) return 'interrupted';
	return 'failed';
}

export class UserError extends Error {
	readonly kind: ErrorKind;
	/** The lines behind the sentence (each damaged file, each difference), for the operator to act on. */
	readonly details: string[];

	constructor(
		message: string,
		readonly exitCode: number = 1,
		details: string[] = [],
	) {
		super(message);
		this.name = 'UserError';
		this.kind = kindOfExit(exitCode);
		this.details = details;
	}
}

export function exitCodeOfKind(kind: ErrorKind): number {
	return KIND_EXIT[kind];
}

/** The kind of any error: a UserError says, anything else is a failure (a bug is still a failure). */
export function kindOf(error: unknown): ErrorKind {
	return error instanceof UserError ? error.kind : 'failed';
}

/** The operator pressed Ctrl-C at a prompt: @inquirer/prompts rejects with this name. */
export function isPromptExit(error: unknown): boolean {
	return error instanceof Error && error.name === 'ExitPromptError';
}

export function messageOf(error: unknown): string {
	if (error instanceof Error) return error.message;
	return String(error);
}
