/**
 * The wizard's window on the real world: SSH checks, the gateway probe,
 * folders, profiles and the plans, run under the Ink bridge renderer.
 */
import { access, constants, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import { defaultBackupName } from '../archive/layout.js';
import { readManifest, readManifestIfPresent } from '../archive/manifest.js';
import { loadProfiles, saveProfile } from '../config/profiles.js';
import { storeEndpointFor, type ConnectionSettings } from '../config/settings.js';
import { applySshConfig } from '../config/ssh-config.js';
import { messageOf } from '../errors.js';
import type { PlanHooks } from '../plans/context.js';
import { previewBackup, previewRestore } from '../plans/preview.js';
import type { PlanAnswers, RunHandle } from '../plans/types.js';
import { createProgressBus } from '../ui/progress-bus.js';
import type { GatewayProblem, WizardServices } from '../ui/services.js';

export interface WizardRunDefaults {
	concurrency: number;
	/** Left out under the full-screen wizard, which owns the terminal's keys. */
	askPassphrase?: PlanHooks['askPassphrase'];
	scaleGateways?: number;
	resetBodySize?: boolean;
	bodySize?: string;
	/** Neither save nor apply the platform's etcd settings (--skip-settings). */
	skipSettings?: boolean;
	/** --buckets: mirror these instead of the database's and the registry's. */
	buckets?: string[];
}

export function createWizardServices(defaults: WizardRunDefaults): WizardServices {
	// A new host key is shown once; submitting the same answers again trusts it (ssh's "yes").
	const shownKeys = new Map<string, string>();
	return {
		async validateConnection(connection) {
			let offered: string | undefined;
			const where = `${connection.host}:${connection.port}`;
			try {
				// SSH, the S3 client and the plans load on first use: the first screen must not wait for them.
				const { connectHost } = await import('../cluster/ssh.js');
				// A host typed into the form may be an ssh_config alias.
				const host = await connectHost({ ...connection, ...(await applySshConfig(connection)) }, {
					confirmHostKey: async (_label, print) => {
						offered = print;
						return shownKeys.get(where) === print;
					},
					askPassphrase: defaults.askPassphrase,
				});
				await host.close();
				return undefined;
			} catch (error) {
				if (offered && shownKeys.get(where) !== offered) {
					shownKeys.set(where, offered);
					return `${where} is a host not seen before; its key is ${offered}. If that matches the host (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on it), accept the same answers again to trust it.`;
				}
				return messageOf(error);
			}
		},
		validateDomain: (connection, kind) => (kind === 'backup' ? probeGateway(connection) : checkGatewayName(connection)),
		async validateFolder(kind, folder) {
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
	if (answers.kind === 'backup') {
		const { runBackup } = await import('../plans/backup.js');
		return runBackup({ answers, concurrency: defaults.concurrency, dryRun: false, scaleGateways: defaults.scaleGateways, buckets: defaults.buckets, skipSettings: defaults.skipSettings, signal: handle.signal, hooks }, renderer);
	}
	const { runRestore } = await import('../plans/restore.js');
	return runRestore(
		{
			answers,
			concurrency: defaults.concurrency,
			dryRun: false,
			skipPlatform: false,
			skipBuckets: false,
			skipController: false,
			resetBodySize: Boolean(defaults.resetBodySize),
			bodySize: defaults.bodySize ?? '100m',
			gatewayTimeoutMs: 120_000,
			skipSettings: defaults.skipSettings,
			signal: handle.signal,
			hooks,
		},
		renderer,
	);
}

/** Before a restore the gateway is not running yet: the name must resolve, nothing more. */
export async function checkGatewayName(connection: ConnectionSettings): Promise<GatewayProblem | undefined> {
	if (connection.tunnel) return undefined;
	const host = new URL(storeEndpointFor(connection)).hostname;
	try {
		await lookup(host);
		return undefined;
	} catch {
		return { message: `${host} does not resolve from this machine.`, offerRoutes: true };
	}
}

/** Any HTTP answer from the gateway proves the name resolves and something listens. */
export function probeGateway(connection: ConnectionSettings, timeoutMs = 5000): Promise<GatewayProblem | undefined> {
	const endpoint = storeEndpointFor(connection);
	if (connection.tunnel) return Promise.resolve(undefined);
	return new Promise((done) => {
		const request = http.get(endpoint, { timeout: timeoutMs }, (response) => {
			response.resume();
			const server = String(response.headers.server ?? '');
			const looksLikeS3 = response.statusCode === 200 || response.statusCode === 403 || /ceph|rgw|nginx|amazon|s3/i.test(server);
			done(looksLikeS3 ? undefined : { message: `${endpoint} answered HTTP ${response.statusCode}, not like a store gateway.`, offerRoutes: true });
		});
		request.on('timeout', () => {
			request.destroy();
			done({ message: `${endpoint} did not answer within ${timeoutMs / 1000} s.`, offerRoutes: true });
		});
		request.on('error', (error: NodeJS.ErrnoException) => {
			if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') done({ message: `${new URL(endpoint).hostname} does not resolve from this machine.`, offerRoutes: true });
			else done({ message: `${endpoint} cannot be reached (${error.code ?? error.message}).`, offerRoutes: true });
		});
	});
}
