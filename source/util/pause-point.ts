/**
 * Test-only pause points, so the kill tests (test/reliability/kill.test.ts)
 * stop a run at an exact place in its work instead of guessing that place
 * from outside. With DEIS_BACKUP_PAUSE_AT unset (every real run) pausePoint
 * is an empty function, chosen once at load.
 *
 * DEIS_BACKUP_PAUSE_AT=<name>[#<n>]: on the n-th call (default the first)
 * with that name, the process writes `<name>\n` to the file descriptor in
 * DEIS_BACKUP_PAUSE_FD (default 3) and stops itself with SIGSTOP. The harness
 * then kills it where it stands, or sends SIGINT and SIGCONT (an operator's
 * Ctrl-C at that moment).
 */
import { writeSync } from 'node:fs';

function pauseAt(spec: string, fd: number): (name: string) => void {
	const hash = spec.lastIndexOf('#');
	const wanted = hash < 0 ? spec : spec.slice(0, hash);
	const nth = hash < 0 ? 1 : Number(spec.slice(hash + 1));
	let seen = 0;
	return (name) => {
		if (name !== wanted || ++seen !== nth) return;
		writeSync(fd, `${name}\n`);
		process.kill(process.pid, 'SIGSTOP');
	};
}

const spec = process.env.DEIS_BACKUP_PAUSE_AT;

export const pausePoint: (name: string) => void = spec ? pauseAt(spec, Number(process.env.DEIS_BACKUP_PAUSE_FD ?? 3)) : () => {};
