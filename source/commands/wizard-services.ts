/**
 * The wizard's window on the real world: the plans' checks of the connection
 * and the gateway, folders, profiles and the plans, run under the Ink bridge
 * renderer.
 */
import { access, constants, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { defaultBackupName } from '../archive/layout.js';
import { readManifest, readManifestIfPresent } from '../archive/manifest.js';
import { loadProfiles, saveProfile } from '../config/profiles.js';
import type { ConnectionSettings } from '../settings.js';
import { applySshConfig } from '../config/ssh-config.js';
import { messageOf } from '../errors.js';
import { checkConnection, checkGatewayName, probeGateway } from '../plans/checks.js';
import type { PlanHooks } from '../plans/hooks.js';
import { backupOptions, restoreOptions } from '../plans/options.js';
import { previewBackup, previewRestore } from '../plans/preview.js';
import type { PlanAnswers, RunHandle } from '../plans/types.js';
import { createProgressBus } from '../ui/progress-bus.js';
import type { WizardServices } from '../ui/services.js';

export interface WizardRunDefaults {
	concurrency: number;
	/** Asks for a key's passphrase: the terminal under `--plain`, the wizard's own prompt under Ink. */
	askPassphrase?: PlanHooks['askPassphrase'];
	scaleGateways?: number;
	resetBodySize?: boolean;
	bodySize?: string;
	/** Neither save nor apply the platform's etcd settings (--skip-settings). */
	skipSettings?: boolean;
	/** --buckets: download these instead of the database's and the registry's. */
	buckets?: string[];
}

export function createWizardServices(defaults: WizardRunDefaults): WizardServices {
	// A new host key is shown once; submitting the same answers again trusts it (ssh's "yes").
	const shownKeys = new Map<string, string>();
	return {
		checkConnection: (connection) => checkConnection(connection, shownKeys, defaults.askPassphrase),
		checkDomain: (connection, kind) => (kind === 'backup' ? probeGateway(connection) : checkGatewayName(connection)),
		async checkFolder(kind, folder) {
			const path = resolve(folder);
			if (kind === 'restore') {
				try {
					await readManifest(path);
					return undefined;
				} catch (error) {
					return messageOf(error);
				}
			}
			try {
				const existing = await readManifestIfPresent(path);
				if (existing) return undefined;
			} catch (error) {
				return messageOf(error);
			}
			const parent = await stat(path).then(
				() => path,
				() => dirname(path),
			);
			return access(parent, constants.W_OK).then(
				() => undefined,
				() => `Cannot write in ${parent}; choose another folder.`,
			);
		},
		defaultFolder: (kind, connection) => (kind === 'backup' ? defaultBackupName(connection.domain) : ''),
		preview: (answers) =>
			answers.kind === 'backup'
				? previewBackup(answers, { buckets: defaults.buckets, scaleGateways: defaults.scaleGateways })
				: previewRestore(answers, { bodySize: defaults.bodySize, resetBodySize: defaults.resetBodySize }),
		run: (answers, handle) => runPlan(answers, handle, defaults),
		...(defaults.skipSettings
			? {}
			: {
					async settingsPreview(answers: PlanAnswers) {
						const { previewSettings } = await import('../plans/settings.js');
						return previewSettings(answers);
					},
				}),
		saveProfile: (name, connection) => saveProfile(name, connection),
		async profiles() {
			const saved = await loadProfiles();
			return Object.entries(saved)
				.filter(([, c]) => c.host && c.domain)
				.map(([name, c]) => ({ name, connection: { port: 22, user: 'core', ...c } as ConnectionSettings }));
		},
	};
}

async function runPlan(given: PlanAnswers, handle: RunHandle, defaults: WizardRunDefaults) {
	const answers = { ...given, connection: { ...given.connection, ...(await applySshConfig(given.connection)) } };
	const { bridgeListrOptions } = await import('../ui/listr-bridge.js');
	const bus = createProgressBus();
	const hooks: PlanHooks = {
		onProgress: (taskId, progress) => bus.emit(taskId, progress),
		onWarning: (taskId, message) => bus.warn(taskId, message),
		askPassphrase: defaults.askPassphrase,
	};
	const renderer = bridgeListrOptions(handle.onViews, bus);
	const basics = { answers, signal: handle.signal, hooks };
	if (answers.kind === 'backup') {
		const { runBackup } = await import('../plans/backup.js');
		return runBackup(backupOptions(basics, { concurrency: defaults.concurrency, scaleGateways: defaults.scaleGateways, buckets: defaults.buckets, skipSettings: defaults.skipSettings }), renderer);
	}
	const { runRestore } = await import('../plans/restore.js');
	return runRestore(restoreOptions(basics, { concurrency: defaults.concurrency, resetBodySize: defaults.resetBodySize, bodySize: defaults.bodySize, skipSettings: defaults.skipSettings }), renderer);
}
