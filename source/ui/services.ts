/**
 * What the wizard needs from the rest of the program. Everything that
 * touches the network, the disk or the cluster comes in through here, so
 * the screens can be driven by an in-memory fake in tests.
 */
import type { ConnectionSettings } from '../settings.js';
import type { PlanAnswers, PlanKind, RunHandle, RunSummary, StagePreview } from '../plans/types.js';
import type { SettingsPlan } from '../steps/settings/plan.js';
import type { GatewayProblem } from '../plans/checks.js';

import type { SavedProfile } from './flow.js';

export type { SavedProfile };

export type { GatewayProblem };

export interface WizardServices {
	/** undefined = reachable over SSH; else one sentence saying what failed. */
	checkConnection(c: ConnectionSettings): Promise<string | undefined>;
	/**
	 * Backup: does deis-store.<domain> (or the endpoint override) answer?
	 * Restore: the new cluster's gateway starts during the restore, so only the name can be checked.
	 */
	checkDomain(c: ConnectionSettings, kind: PlanKind): Promise<GatewayProblem | undefined>;
	checkFolder(kind: PlanKind, folder: string): Promise<string | undefined>;
	defaultFolder(kind: PlanKind, c: ConnectionSettings): string;
	preview(answers: PlanAnswers): StagePreview[];
	/** Runs the plan; must resolve (not reject) with ok false on failure, and stop at a safe point when handle.signal aborts. */
	run(answers: PlanAnswers, handle: RunHandle): Promise<RunSummary>;
	saveProfile?(name: string, c: ConnectionSettings): Promise<void>;
	profiles?(): Promise<SavedProfile[]>;
	/**
	 * Restore: the backup's platform settings laid against the new cluster, for the operator to
	 * untick before anything runs; undefined when the backup holds none.
	 */
	settingsPreview?(answers: PlanAnswers): Promise<SettingsPlan | undefined>;
	/** Checks a private key file exists and is readable; defaults to a file-system check. */
	checkIdentity?(path: string): Promise<string | undefined>;
}
