/**
 * deisctl on a cluster host: the procedure's commands as typed methods.
 */
import { UserError } from '../errors.js';
import { commands } from './commands.js';
import { parseFleetTable, type UnitRow } from './fleet-table.js';
import type { RemoteHost } from './ssh.js';
import { quoteCommand } from './shell-quote.js';

export class Deisctl {
	constructor(private readonly host: RemoteHost) {}

	/** undefined when the key is unset (deisctl exits non-zero). */
	async configGet(component: string, key: string): Promise<string | undefined> {
		const result = await this.host.run(commands.configGet(component, key));
		if (result.code !== 0) {
			if (/command not found/i.test(result.stderr)) throw noDeisctl(this.host);
			return undefined;
		}
		const value = result.stdout.trim();
		return value === '' ? undefined : value;
	}

	async configSet(component: string, key: string, value: string): Promise<void> {
		await this.check(commands.configSet(component, key, value));
	}

	async list(): Promise<UnitRow[]> {
		const result = await this.host.run(commands.list());
		if (result.code !== 0) {
			if (/command not found/i.test(result.stderr)) throw noDeisctl(this.host);
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
		const result = await this.host.run(argv);
		if (result.code === 0) return;
		if (/command not found/i.test(result.stderr)) throw noDeisctl(this.host);
		throw new UserError(`\`${quoteCommand(argv)}\` failed on ${this.host.label}: ${lastLine(result.stderr || result.stdout)}.`);
	}
}

function noDeisctl(host: RemoteHost): UserError {
	return new UserError(`deisctl is not installed on ${host.label}; connect to a CoreOS machine of the Deis cluster.`);
}

export function lastLine(text: string): string {
	const lines = text.trim().split('\n').filter(Boolean);
	return (lines.at(-1) ?? 'no output').trim();
}
