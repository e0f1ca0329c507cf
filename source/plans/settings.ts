/**
 * The restore's settings preview on its own, for the wizard and the line
 * questions to show (and let the operator untick) before the run starts.
 * The run computes it again from the cluster as it then stands.
 */
import { resolve } from 'node:path';
import { readManifest } from '../archive/manifest.js';
import { planSettings } from '../steps/settings/apply.js';
import type { SettingsPlan } from '../steps/settings/plan.js';
import { connect } from './connect.js';
import type { PlanHooks } from './hooks.js';
import type { PlanAnswers } from './types.js';

/** undefined when the backup holds no settings: the restore goes on as before. */
export async function previewSettings(answers: PlanAnswers, hooks: PlanHooks = {}): Promise<SettingsPlan | undefined> {
	const folder = resolve(answers.folder);
	const manifest = await readManifest(folder);
	if (!manifest.settings) return undefined;
	const { host } = await connect(answers.connection, hooks);
	try {
		return (await planSettings(host, folder, manifest, answers.connection.domain))?.plan;
	} finally {
		await host.close();
	}
}
