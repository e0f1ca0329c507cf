/**
 * How a setting's value may appear on a screen, in --json or in a log:
 * secrets as a marker only, long or multi-line values as a short summary.
 */

/** Stands for a secret everywhere a value would be shown. */
export const MASKED = '•••••• (secret, masked)';

export function shownValue(value: string, secret: boolean): string {
	if (secret) return MASKED;
	const pem = /^-----BEGIN ([A-Z0-9 ]+)-----/.exec(value);
	if (pem) return `PEM ${pem[1]}, ${value.length} bytes`;
	const lines = value.split('\n');
	const first = JSON.stringify(lines[0] ?? '').slice(1, -1);
	const extra = lines.length > 1 && value.endsWith('\n') ? lines.length - 2 : lines.length - 1;
	const head = first.length > 60 ? `${first.slice(0, 57)}…` : first;
	return extra > 0 ? `${head} … (${extra + 1} lines, ${value.length} bytes)` : head === '' ? '(empty)' : head;
}
