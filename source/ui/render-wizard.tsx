/**
 * The wizard's public entry: mount, wait for the operator to finish, clean up.
 */
import { render } from 'ink';
import type { ReactElement } from 'react';
import type { PlanAnswers } from '../plans/types.js';
import type { PassphraseRequests } from './passphrase-requests.js';
import type { WizardServices } from './services.js';
import { Wizard } from './wizard.js';
import type { WizardOutcome } from './wizard.js';

export type { WizardOutcome } from './wizard.js';

export interface RenderWizardOptions {
	stdin?: NodeJS.ReadStream;
	stdout?: NodeJS.WriteStream;
	/** `--yes`: no questions; with every answer given the run starts at once. */
	assumeYes?: boolean;
	/** Printed once above the wizard. */
	intro?: ReactElement;
	/** The passphrase questions of the services' SSH connections (see createPassphraseRequests). */
	passphrases?: PassphraseRequests;
}

/**
 * Resolves with how the wizard ended. Rejects when stdin or stdout is not a
 * terminal: the wizard needs key presses and a screen it can redraw.
 */
export async function renderWizard(services: WizardServices, initial: Partial<PlanAnswers> = {}, options: RenderWizardOptions = {}): Promise<WizardOutcome> {
	const stdin = options.stdin ?? process.stdin;
	const stdout = options.stdout ?? process.stdout;
	// Piped stdout would fill with Ink's erase sequences; the CLI's plain mode serves that case.
	if (!stdin.isTTY || !stdout.isTTY) {
		throw new Error('The wizard needs an interactive terminal; give the answers as flags instead (see deis-backup --help).');
	}
	// An unmount without an outcome (it should not happen) counts as leaving before anything ran.
	let result: WizardOutcome = { kind: 'interrupted' };
	// Ctrl-C is ours: during a run it must stop at a safe point, not kill the process.
	const app = render(
		<Wizard
			services={services}
			initial={initial}
			{...(options.assumeYes ? { assumeYes: true } : {})}
			{...(options.intro ? { intro: options.intro } : {})}
			{...(options.passphrases ? { passphrases: options.passphrases } : {})}
			onExit={(outcome) => void (result = outcome)}
		/>,
		{ exitOnCtrlC: false, stdin, stdout },
	);
	try {
		await app.waitUntilExit();
	} finally {
		app.unmount();
		// Ink unref()s stdin on exit; a later inquirer prompt would see the process exit under it.
		stdin.ref();
	}
	return result;
}
