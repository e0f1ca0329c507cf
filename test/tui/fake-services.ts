/**
 * In-memory WizardServices: deterministic answers, call logs, and scripted
 * runs that push TaskView sequences the way a real plan would.
 */
import type { ConnectionSettings } from '../../source/settings.js';
import type { TaskView } from '../../source/plans/task-view.js';
import type { PlanAnswers, PlanKind, RunHandle, RunSummary, StagePreview } from '../../source/plans/types.js';
import type { SavedProfile, WizardServices } from '../../source/ui/services.js';
import type { SettingsPlan } from '../../source/steps/settings/plan.js';
import { tick } from './helpers.js';

export type RunScript = (answers: PlanAnswers, handle: RunHandle, attempt: number) => Promise<RunSummary>;

export interface FakeOptions {
	/** checkConnection answers in order; undefined (or exhausted) = ok. */
	connectionErrors?: Array<string | undefined>;
	/** Folders containing "bad" are refused. */
	run?: RunScript;
	profiles?: SavedProfile[];
	saveProfile?: boolean;
	/** A restore's platform settings preview, offered through settingsPreview. */
	settings?: SettingsPlan;
}

export const BACKUP_STAGES: StagePreview[] = [
	{ stage: 'connect', title: 'Connect over SSH', commands: ['ssh -p 2222 core@127.0.0.1'], optional: false },
	{ stage: 'keys', title: 'Read the gateway keys', commands: ['deisctl config store get gateway/accessKey', 'deisctl config store get gateway/secretKey'], optional: false },
	{ stage: 'buckets', title: 'Download the buckets', commands: ['s3cmd sync s3://db_wal .', 's3cmd sync s3://registry .'], optional: false },
	{ stage: 'volume', title: 'Save the store volume', commands: ["ssh core@<host> 'cd /var/lib/deis/store && sudo tar cpzf ~/store_file_backup.tar.gz .'"], optional: true },
	{ stage: 'database', title: 'Dump the database', commands: ['docker exec deis-database sudo -u postgres pg_dumpall > dump_all.sql'], optional: true },
];

export const RESTORE_STAGES: StagePreview[] = [
	{ stage: 'platform', title: 'Install the platform, start only the store', commands: ['deisctl install platform', 'deisctl start store-monitor'], optional: false },
	{ stage: 'router', title: 'Start a router and raise its body size', commands: ['deisctl start router@1', 'deisctl config router set bodySize=100m'], optional: false },
	{ stage: 'buckets', title: 'Upload the buckets', commands: ['s3cmd mb s3://registry', 's3cmd sync registry s3://registry'], optional: false },
	{ stage: 'volume', title: 'Restore the store volume', commands: ["ssh core@<host> 'cd /var/lib/deis/store && sudo tar -xzpf ~/store_file_backup.tar.gz --same-owner'"], optional: true },
];

export function summaryFor(answers: PlanAnswers, patch: Partial<RunSummary> = {}): RunSummary {
	return { kind: answers.kind, ok: true, folder: answers.folder, objects: 2012, bytes: 40_000_000, durationMs: 65_000, warnings: [], ...patch };
}

/** A run that shows the stages going by, with progress on the buckets, then succeeds. */
export const succeed: RunScript = async (answers, handle) => {
	await pushStages(answers, handle);
	return summaryFor(answers, { manifestPath: `${answers.folder}/manifest.json` });
};

export async function pushStages(answers: PlanAnswers, handle: RunHandle, failAt?: { stage: string; message: string }): Promise<void> {
	const stages = (answers.kind === 'backup' ? BACKUP_STAGES : RESTORE_STAGES).filter(
		(s) => !(s.stage === 'database' && answers.skipDatabase) && !(s.stage === 'volume' && answers.skipVolume),
	);
	const views: TaskView[] = stages.map((s) => ({ id: s.stage, title: s.title, state: 'pending', subtasks: [] }));
	const push = async () => {
		handle.onViews(structuredClone(views));
		await tick();
	};
	for (const view of views) {
		view.state = 'running';
		view.startedAt = Date.now();
		if (view.id === 'buckets') {
			view.progress = { stage: 'buckets', bytesDone: 10_000_000, bytesTotal: 40_000_000, itemsDone: 120, itemsTotal: 2000, item: 'registry/images/abc/layer' };
		}
		await push();
		if (failAt?.stage === view.id) {
			view.state = 'failed';
			view.message = failAt.message;
			await push();
			return;
		}
		view.state = 'done';
		view.endedAt = Date.now();
		await push();
	}
}

export function fakeServices(options: FakeOptions = {}) {
	const calls = {
		connections: [] as ConnectionSettings[],
		domains: [] as string[],
		folders: [] as string[],
		runs: [] as PlanAnswers[],
		signals: [] as AbortSignal[],
		saved: [] as Array<{ name: string; connection: ConnectionSettings }>,
	};
	const connectionErrors = [...(options.connectionErrors ?? [])];
	const run = options.run ?? succeed;
	const services: WizardServices = {
		async checkConnection(c) {
			calls.connections.push(c);
			return connectionErrors.shift();
		},
		async checkDomain(c) {
			calls.domains.push(c.domain);
			return undefined;
		},
		async checkFolder(_kind: PlanKind, folder: string) {
			calls.folders.push(folder);
			return folder.includes('bad') ? `Cannot write to ${folder}: permission denied.` : undefined;
		},
		defaultFolder(kind, c) {
			return `/backups/${kind}-${c.host}`;
		},
		preview(answers) {
			return (answers.kind === 'backup' ? BACKUP_STAGES : RESTORE_STAGES).filter(
				(s) => !(s.stage === 'database' && answers.skipDatabase) && !(s.stage === 'volume' && answers.skipVolume),
			);
		},
		run(answers, handle) {
			calls.runs.push(structuredClone(answers));
			calls.signals.push(handle.signal);
			return run(answers, handle, calls.runs.length);
		},
		async checkIdentity() {
			return undefined;
		},
	};
	if (options.saveProfile) {
		services.saveProfile = async (name, connection) => {
			calls.saved.push({ name, connection });
		};
	}
	if (options.settings) {
		const plan = options.settings;
		services.settingsPreview = async () => plan;
	}
	if (options.profiles) {
		const profiles = options.profiles;
		services.profiles = async () => profiles;
	}
	return { services, calls };
}
