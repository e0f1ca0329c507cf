/**
 * The restore's side: the saved settings laid against the new cluster's
 * etcd, and the chosen ones written back exactly as stored, one `etcdctl set`
 * per key with the value on stdin. Not `deisctl config set`: it reads
 * file-valued keys as paths and splits values at `=`.
 */
import type { Manifest } from '../../archive/manifest.js';
import { readSettingsFile } from '../../archive/settings-file.js';
import { commands } from '../../cluster/commands.js';
import { lastLine } from '../../cluster/deisctl.js';
import type { RemoteHost } from '../../cluster/ssh.js';
import { UserError } from '../../errors.js';
import { runPool } from '../../util/pool.js';
import type { Report } from '../../progress.js';
import { absoluteKey, DEIS_ROOT } from './catalog.js';
import { buildSettingsPlan, type BuiltPlan } from './plan.js';
import { readDeisTree, readRelease } from './read.js';

/** undefined when the backup holds no settings (made before they were saved, or without etcd access). */
export async function planSettings(host: RemoteHost, folder: string, manifest: Manifest, domain: string): Promise<BuiltPlan | undefined> {
	if (!manifest.settings) return undefined;
	const saved = await readSettingsFile(folder, manifest.settings);
	const read = await readDeisTree(host);
	// Without the new cluster's etcd nothing can be compared: writing blind could overwrite its own keys.
	if (!read.ok) throw new UserError(`Cannot read the new cluster's etcd to compare the platform settings (${read.reason}); check etcd on ${host.label}, or restore without them (--skip-settings).`);
	const release = await readRelease(host, read.tree);
	return buildSettingsPlan({
		saved,
		target: read.tree,
		targetDomain: read.tree.values.get(`${DEIS_ROOT}/platform/domain`) ?? domain,
		fromVersion: manifest.platform?.version,
		toVersion: release?.version,
	});
}

/**
 * Early keys (store tuning) are all written before any other, then the rest a few at a time:
 * each is a round trip to the host, and a cluster carries dozens.
 */
export async function writeSettings(host: RemoteHost, built: BuiltPlan, keys: readonly string[], report: Report): Promise<void> {
	const early = new Set(built.plan.rows.filter((row) => row.early).map((row) => row.key));
	let done = 0;
	const one = async (key: string) => {
		const value = built.values.get(key);
		if (value === undefined) throw new Error(`no saved value for ${key}`);
		const path = absoluteKey(key);
		const result = value === '' ? await host.run(commands.etcdSetEmpty(path)) : await host.run(commands.etcdSet(path), value);
		if (result.code !== 0) {
			// etcdctl may echo what it was given: the message names the key only.
			const said = lastLine(result.stderr || 'no output');
			throw new UserError(`Writing ${path} on ${host.label} failed (etcdctl: ${value === '' ? said : said.split(value).join('…')}); run the restore again.`);
		}
		report({ stage: 'settings', item: key, bytesDone: 0, itemsDone: ++done, itemsTotal: keys.length });
	};
	await runPool(keys.filter((key) => early.has(key)), WRITES_AT_ONCE, one);
	await runPool(keys.filter((key) => !early.has(key)), WRITES_AT_ONCE, one);
}

const WRITES_AT_ONCE = 8;
