/**
 * The questions both faces ask — the Ink wizard and `--plain`'s one line at a
 * time — defined once: which yes/no questions a plan raises, how a typed
 * answer is read, and the ways to reach a gateway whose name does not resolve.
 */
import type { PlanAnswers, PlanKind, StagePreview } from '../plans/types.js';

export interface YesNoQuestion {
	label: string;
	/** What Enter alone means; ignored when `destructive`. */
	defaultYes: boolean;
	/**
	 * Answering yes changes or overwrites data on a cluster: only the typed word
	 * `yes` says yes, and Enter alone answers nothing, so a stray key never decides.
	 */
	destructive: boolean;
}

export type YesNoReading = { value: boolean } | { problem: string };

/** Reads a typed answer as @inquirer's confirm does (y/yes/n/no, then Enter), stricter for destructive questions. */
export function readYesNo(typed: string, question: Pick<YesNoQuestion, 'defaultYes' | 'destructive'>): YesNoReading {
	const word = typed.trim().toLowerCase();
	if (word === 'n' || word === 'no') return { value: false };
	if (question.destructive) {
		if (word === 'yes') return { value: true };
		return { problem: word === 'y' ? 'Type the whole word yes to go ahead, or no.' : 'Type yes to go ahead, or no.' };
	}
	if (word === '') return { value: question.defaultYes };
	if (word === 'y' || word === 'yes') return { value: true };
	return { problem: 'Answer y or n, then Enter.' };
}

/** The hint after the question: the capital letter is what Enter alone means. */
export function yesNoHint(question: Pick<YesNoQuestion, 'defaultYes' | 'destructive'>): string {
	if (question.destructive) return '(type yes or no)';
	return question.defaultYes ? '(Y/n)' : '(y/N)';
}

/** A yes/no question that sets one answer of the plan. */
export interface OptionQuestion extends YesNoQuestion {
	flag: 'skipDatabase' | 'skipVolume' | 'force';
	/** Whether "yes" means the flag is true. */
	yesMeans: boolean;
}

export const SKIP_FLAG: Partial<Record<string, 'skipDatabase' | 'skipVolume'>> = { database: 'skipDatabase', volume: 'skipVolume' };

/**
 * The questions for a plan's optional stages, and for a restore whether to
 * overwrite, leaving out what flags already answered. `stages` is the preview
 * of the plan with every optional stage included.
 */
export function optionQuestions(kind: PlanKind, stages: StagePreview[], given: Partial<Pick<PlanAnswers, 'skipDatabase' | 'skipVolume' | 'force'>>): OptionQuestion[] {
	const questions: OptionQuestion[] = [];
	for (const stage of stages) {
		const flag = SKIP_FLAG[stage.stage];
		if (!stage.optional || !flag || given[flag] !== undefined) continue;
		questions.push(
			kind === 'backup'
				? { flag, label: `Include “${stage.title}”?`, defaultYes: true, destructive: false, yesMeans: false }
				: { flag, label: `Skip “${stage.title}”?`, defaultYes: false, destructive: false, yesMeans: true },
		);
	}
	if (kind === 'restore' && given.force === undefined) {
		questions.push({ flag: 'force', label: 'Overwrite objects that differ when a bucket already has data?', defaultYes: false, destructive: true, yesMeans: true });
	}
	return questions;
}

/** The last question before anything runs. A restore writes to a cluster that may hold data. */
export function runQuestion(answers: Pick<PlanAnswers, 'kind' | 'connection'>): YesNoQuestion {
	if (answers.kind === 'restore') return { label: `This will write to the cluster ${answers.connection.host}. Continue?`, defaultYes: false, destructive: true };
	return { label: 'Start the backup?', defaultYes: true, destructive: false };
}

export type GatewayRoute = 'tunnel' | 'endpoint' | 'domain';

/** What the operator may do when deis-store.<domain> does not resolve from here. */
export const GATEWAY_ROUTES: ReadonlyArray<{ value: GatewayRoute; label: string; hint: string }> = [
	{ value: 'tunnel', label: 'Use the SSH tunnel', hint: 'carry the S3 traffic through the SSH connection to the router on the host (--tunnel)' },
	{ value: 'endpoint', label: 'Enter the gateway URL', hint: 'an address of the router that answers from here, such as http://10.0.0.5 (--store-endpoint)' },
	{ value: 'domain', label: 'Change the domain', hint: 'if it was mistyped' },
];

export const GATEWAY_ROUTE_QUESTION = 'How should deis-backup reach the store gateway?';
export const GATEWAY_URL_LABEL = 'Store gateway URL';

/** The folder question: where a backup goes, or which backup a restore reads. */
export function folderQuestion(kind: PlanKind): string {
	return kind === 'backup' ? 'Folder to write the backup to' : 'Backup folder to restore from';
}
