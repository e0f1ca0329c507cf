/**
 * deisctl on a cluster host: the procedure's commands as typed methods.
 *
 * CoreOS installs deisctl to /opt/bin, which a login shell has on its PATH
 * but a non-interactive SSH command may not. So /opt/bin/deisctl is run
 * first, and a bare `deisctl` (from the PATH) only where that path is
 * missing: on a Deis v1 host the first try answers, and every command is one
 * round trip.
 */
import { UserError } from '../errors.js';
import { DEISCTL_INSTALLED } from '../deis.js';
import { commands } from './commands.js';
import { parseFleetTable, type UnitRow } from './fleet-table.js';
import type { ExecResult, RemoteHost } from './ssh.js';
import { quoteCommand } from '../util/shell-quote.js';

/** The shell's answer for a command it cannot find (bash: "command not found"; exec of a missing path). */
const NOT_FOUND = 127;

export class Deisctl {
	/** The program that answered last: the installed path, or `deisctl` once that path was not found. */
	private program = DEISCTL_INSTALLED;

	constructor(private readonly host: RemoteHost) {}

	/** undefined when the key is unset (deisctl exits non-zero). */
	async configGet(component: string, key: string): Promise<string | undefined> {
		return (await this.configGetAll(component, [key]))?.[0];
	}

	/**
	 * Several keys of one component in one command; undefined when any of them is unset or empty.
	 * With several keys, for single-line values only: deisctl prints one value per line.
	 */
	async configGetAll(component: string, keys: readonly string[]): Promise<string[] | undefined> {
		const argv = commands.configGet(component, ...keys);
		const result = await this.run(argv);
		if (result.code !== 0) return undefined;
		// One key's value is the whole answer, as before several were read at once (a value may span lines).
		const values = keys.length === 1 ? [result.stdout.trim()] : result.stdout.replace(/\r?\n$/, '').split(/\r?\n/).map((value) => value.trim());
		if (values.length !== keys.length) {
			throw new UserError(`\`${quoteCommand(argv)}\` on ${this.host.label} printed ${values.length} line(s) for ${keys.length} key(s); check the deisctl installed there.`);
		}
		return values.some((value) => value === '') ? undefined : values;
	}

	async configSet(component: string, key: string, value: string): Promise<void> {
		await this.check(commands.configSet(component, key, value));
	}

	async list(): Promise<UnitRow[]> {
		const result = await this.run(commands.list());
		if (result.code !== 0) {
			throw new UserError(`deisctl list failed on ${this.host.label}: ${lastLine(result.stderr)}; check that fleet is running on the cluster.`);
		}
		return parseFleetTable(result.stdout);
	}

	install(target: string) {
		return this.check(commands.install(target));
	}

	start(unit: string) {
		return this.check(commands.start(unit));
	}

	stop(unit: string) {
		return this.check(commands.stop(unit));
	}

	scale(component: string, count: number) {
		return this.check(commands.scale(component, count));
	}

	private async check(argv: readonly string[]): Promise<void> {
		const result = await this.run(argv);
		if (result.code === 0) return;
		throw new UserError(`\`${quoteCommand(argv)}\` failed on ${this.host.label}: ${lastLine(result.stderr || result.stdout)}.`);
	}

	/** `argv` is a deisctl command (commands.*); runs it with the program that is found. */
	private async run(argv: readonly string[]): Promise<ExecResult> {
		const tried = this.program;
		const result = await this.host.run([tried, ...argv.slice(1)]);
		if (!notFound(result)) return result;
		if (tried === DEISCTL_INSTALLED) {
			const again = await this.host.run(argv);
			if (!notFound(again)) {
				this.program = 'deisctl';
				return again;
			}
		}
		throw new UserError(`deisctl is not installed on ${this.host.label} (neither on the PATH nor at ${DEISCTL_INSTALLED}); connect to a CoreOS machine of the Deis cluster.`);
	}
}

function notFound(result: ExecResult): boolean {
	return result.code === NOT_FOUND && /not found|no such file/i.test(result.stderr);
}

export function lastLine(text: string): string {
	const lines = text.trim().split('\n').filter(Boolean);
	return (lines.at(-1) ?? 'no output').trim();
}
