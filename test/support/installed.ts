/**
 * A deisctl command at the path CoreOS installs it to, as deis-backup falls
 * back to when a non-interactive shell's PATH lacks /opt/bin (the simulated
 * cluster and the demo host both answer a bare `deisctl` with 127 there).
 */
import { DEISCTL_INSTALLED } from '../../source/deis.js';

export function installed(argv: readonly string[]): string[] {
	return argv[0] === 'deisctl' ? [DEISCTL_INSTALLED, ...argv.slice(1)] : [...argv];
}

/** A logged command as the procedure types it: the installed path read as the bare name. */
export function asTyped(command: string): string {
	return command.startsWith(`${DEISCTL_INSTALLED} `) ? command.slice(DEISCTL_INSTALLED.length - 'deisctl'.length) : command;
}
