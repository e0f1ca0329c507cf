/**
 * The backup's side: the /deis values sorted into the operator's settings
 * (saved with their values), unknown keys (saved, never applied) and the
 * platform's generated keys (names only).
 */
import type { PlatformFacts } from '../../archive/manifest.js';
import { SETTINGS_FORMAT, writeSettingsFile, type SavedSettings, type SettingsEntry } from '../../archive/settings-file.js';
import type { RemoteHost } from '../../cluster/ssh.js';
import { classify, DEIS_ROOT, storeModeOf } from './catalog.js';
import { readRelease, type DeisTree } from './read.js';

export function sortSettings(tree: DeisTree): SavedSettings {
	const mode = storeModeOf(tree.values.keys());
	const saved: SavedSettings = { format: SETTINGS_FORMAT, operator: {}, unknown: {}, generated: [] };
	for (const [key, value] of [...tree.values].sort(([a], [b]) => a.localeCompare(b))) {
		const { kind } = classify(key, mode);
		// Older names and dropped keys were the operator's too: the restore translates or lists them.
		if (kind === 'operator' || kind === 'renamed' || kind === 'dropped') saved.operator[key] = value;
		else if (kind === 'unknown') saved.unknown[key] = value;
		else saved.generated.push(key);
	}
	return saved;
}

export interface SavedSnapshot {
	entry: SettingsEntry;
	platform: PlatformFacts;
	saved: SavedSettings;
}

export async function saveSettings(host: RemoteHost, tree: DeisTree, folder: string): Promise<SavedSnapshot> {
	const saved = sortSettings(tree);
	const [entry, release] = await Promise.all([writeSettingsFile(folder, saved), readRelease(host, tree)]);
	const platform: PlatformFacts = {};
	if (release) Object.assign(platform, { version: release.version, versionSource: release.source });
	const domain = tree.values.get(`${DEIS_ROOT}/platform/domain`);
	if (domain !== undefined) platform.domain = domain;
	return { entry, platform, saved };
}
