/**
 * `deis-backup [backup|restore]` in a terminal: the Ink wizard, pre-filled
 * from any flags given.
 */
import { resolve } from 'node:path';
import type { Flags } from '../cli/args.js';
import { settingsFromFlags } from '../config/resolve.js';
import { EXIT } from '../errors.js';
import type { PlanAnswers } from '../plans/types.js';
import { renderWizard } from '../ui/render-wizard.js';
import { exitCodeOf } from './plain-output.js';
import { runOptionsOf } from './shared.js';
import { createWizardServices } from './wizard-services.js';

export async function wizardCommand(command: string | undefined, flags: Flags, positionals: string[]): Promise<number> {
	// The same checks as every face, before the wizard opens: a bad flag is a usage error, not a run.
	const options = runOptionsOf(flags);
	const connection = await settingsFromFlags(flags);
	const initial: Partial<PlanAnswers> = {
		...(command === 'backup' || command === 'restore' ? { kind: command } : {}),
		...(Object.values(connection).some((v) => v !== undefined) ? { connection: connection as PlanAnswers['connection'] } : {}),
		...(flags.out ? { folder: flags.out } : positionals[0] ? { folder: resolve(positionals[0]) } : {}),
		...(flags['skip-database'] ? { skipDatabase: true } : {}),
		...(flags['skip-volume'] ? { skipVolume: true } : {}),
		...(flags.force ? { force: true } : {}),
	};
	const services = createWizardServices({
		concurrency: options.concurrency,
		resetBodySize: Boolean(flags['reset-body-size']),
		bodySize: options.bodySize,
		scaleGateways: options.scaleGateways,
		buckets: options.buckets,
		skipSettings: Boolean(flags['skip-settings']),
	});
	const summary = await renderWizard(services, initial);
	if (!summary) return EXIT.ok;
	// The summary screen stays on the terminal after Ink exits: nothing more to print.
	return exitCodeOf(summary);
}
