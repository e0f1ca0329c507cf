/**
 * Test-only pause points, so the kill and Ctrl-C tests stop a run at an exact
 * place in its work instead of guessing that place from outside. With
 * DEIS_BACKUP_TEST_PAUSE_AT unset (every real run) pausePoint is an empty
 * function, chosen once at load.
 *
 * DEIS_BACKUP_TEST_PAUSE_AT=<name>[#<n>[+]]: on the n-th pass (default the first)
 * through the point of that name, and with `+` on every later pass too, the
 * process reports `<name> <pid>` as a line (to the file descriptor in
 * DEIS_BACKUP_TEST_PAUSE_FD, or appended to the file DEIS_BACKUP_TEST_PAUSE_FILE) and
 * stops itself with SIGSTOP. The test then kills it where it stands, or queues
 * a signal or a key and lets it go on with SIGCONT.
 */
import { appendFileSync, writeSync } from 'node:fs';

function pauseAt(spec: string, report: (line: string) => void): (name: string) => void {
	const match = /^(.*?)(?:#(\d+)(\+)?)?$/.exec(spec) as RegExpExecArray;
	const wanted = match[1];
	const first = Number(match[2] ?? 1);
	const onward = match[3] === '+';
	let seen = 0;
	return (name) => {
		if (name !== wanted) return;
		seen++;
		if (seen !== first && !(onward && seen > first)) return;
		report(`${name} ${process.pid}\n`);
		process.kill(process.pid, 'SIGSTOP');
	};
}

function reporter(): (line: string) => void {
	const file = process.env.DEIS_BACKUP_TEST_PAUSE_FILE;
	if (file) return (line) => appendFileSync(file, line);
	const fd = Number(process.env.DEIS_BACKUP_TEST_PAUSE_FD ?? 3);
	return (line) => writeSync(fd, line);
}

const spec = process.env.DEIS_BACKUP_TEST_PAUSE_AT;

export const pausePoint: (name: string) => void = spec ? pauseAt(spec, reporter()) : () => {};
