/**
 * `deis-backup [backup|restore]` in a terminal: the Ink wizard, pre-filled
 * from any flags given. With --yes it asks nothing: the answers are read from
 * the flags exactly as the plain command reads them, and the run starts at
 * once in the live task view.
 */
import { resolve } from 'node:path';
import type { Flags } from '../cli/args.js';
import { settingsFromFlags } from '../config/resolve.js';
import { EXIT } from '../errors.js';
import type { PlanAnswers } from '../plans/types.js';
import type { WizardOutcome } from '../ui/render-wizard.js';
import { createPassphraseRequests } from '../ui/passphrase-requests.js';
import { renderWizard } from '../ui/render-wizard.js';
import { exitCodeOf } from './plain-output.js';
import { runOptionsOf } from './run-flags.js';
import { createWizardServices } from './wizard-services.js';

export async function wizardCommand(command: string | undefined, flags: Flags, positionals: string[]): Promise<number> {
	// The same checks as every face, before the wizard opens: a bad flag is a usage error, not a run.
	const options = runOptionsOf(flags);
	const assumeYes = Boolean(flags.yes) && (command === 'backup' || command === 'restore');
	const initial = assumeYes ? await answersFromFlags(command as 'backup' | 'restore', flags, positionals) : await prefilled(command, flags, positionals);
	// Ink owns the terminal's keys: a key's passphrase is asked on the wizard's screen, in the form's check and in the run.
	const passphrases = createPassphraseRequests();
	const services = createWizardServices({
		concurrency: options.concurrency,
		askPassphrase: passphrases.ask,
		resetBodySize: Boolean(flags['reset-body-size']),
		bodySize: options.bodySize,
		scaleGateways: options.scaleGateways,
		buckets: options.buckets,
		skipSettings: Boolean(flags['skip-settings']),
	});
	// The summary stays on the terminal after Ink exits: nothing more to print.
	return wizardExitCode(await renderWizard(services, initial, { assumeYes, passphrases }));
}

/** The README's contract for the wizard face: a run's own code, 0 for a "no", 130 for Ctrl-C before or during a run. */
export function wizardExitCode(outcome: WizardOutcome): number {
	switch (outcome.kind) {
		case 'declined':
			return EXIT.ok;
		case 'interrupted':
			return EXIT.interrupted;
		case 'ran':
			return outcome.aborted && !outcome.summary.ok ? EXIT.interrupted : exitCodeOf(outcome.summary);
	}
}

/** Whatever the flags say, for the wizard to skip or pre-fill. */
async function prefilled(command: string | undefined, flags: Flags, positionals: string[]): Promise<Partial<PlanAnswers>> {
	const connection = await settingsFromFlags(flags);
	return {
		...(command === 'backup' || command === 'restore' ? { kind: command } : {}),
		...(Object.values(connection).some((v) => v !== undefined) ? { connection: connection as PlanAnswers['connection'] } : {}),
		...(flags.out ? { folder: flags.out } : positionals[0] ? { folder: resolve(positionals[0]) } : {}),
		...(flags['skip-database'] ? { skipDatabase: true } : {}),
		...(flags['skip-volume'] ? { skipVolume: true } : {}),
		...(flags.force ? { force: true } : {}),
	};
}

/** With --yes a missing answer is the same usage error, naming the flag, as without a terminal. */
async function answersFromFlags(command: 'backup' | 'restore', flags: Flags, positionals: string[]): Promise<PlanAnswers> {
	if (command === 'backup') return (await import('./backup.js')).backupAnswers(flags, positionals);
	return (await import('./restore.js')).restoreAnswers(flags, positionals);
}
