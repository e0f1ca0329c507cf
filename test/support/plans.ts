/**
 * Running the real plans from tests: no renderer output, no prompts.
 */
import type { ConnectionSettings } from '../../source/settings.js';
import { runBackup, type BackupOptions } from '../../source/plans/backup.js';
import type { RendererChoice } from '../../source/plans/hooks.js';
import { runRestore, type RestoreOptions } from '../../source/plans/restore.js';
import type { RunSummary } from '../../source/plans/types.js';

export const SILENT: RendererChoice = { renderer: 'silent', fallbackRenderer: 'silent' };

export function backup(connection: ConnectionSettings, folder: string, extra: Partial<BackupOptions> & { skipDatabase?: boolean; skipVolume?: boolean } = {}): Promise<RunSummary> {
	const { skipDatabase = false, skipVolume = false, ...rest } = extra;
	return runBackup(
		{
			answers: { kind: 'backup', connection, folder, skipDatabase, skipVolume },
			concurrency: 16,
			dryRun: false,
			signal: new AbortController().signal,
			hooks: {},
			...rest,
		},
		SILENT,
	);
}

export function restore(connection: ConnectionSettings, folder: string, extra: Partial<RestoreOptions> & { force?: boolean; skipVolume?: boolean } = {}): Promise<RunSummary> {
	const { force = false, skipVolume = false, ...rest } = extra;
	return runRestore(
		{
			answers: { kind: 'restore', connection, folder, skipDatabase: true, skipVolume, force },
			concurrency: 16,
			dryRun: false,
			skipPlatform: false,
			skipBuckets: false,
			skipController: false,
			resetBodySize: false,
			bodySize: '100m',
			gatewayTimeoutMs: 30_000,
			signal: new AbortController().signal,
			hooks: {},
			...rest,
		},
		SILENT,
	);
}
