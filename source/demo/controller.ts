/**
 * What Deis v1's controller writes to etcd when a model is saved (its
 * post_save signal handlers). Both the procedure's `manage.py shell` re-save
 * and the later `load_db_state_to_etcd` command come down to these.
 */
import type { DemoEtcd } from './etcd.js';
import type { DemoModel } from './model.js';

export type ModelName = 'Key' | 'App' | 'Domain' | 'Certificate' | 'Config';

/** Saves every row of one model, in id order; returns how many were saved. */
export function saveAll(model: DemoModel, etcd: DemoEtcd, name: ModelName): number {
	const username = (id: number) => model.users.find((u) => u.id === id)?.username ?? String(id);
	switch (name) {
		case 'Key':
			for (const k of model.keys) etcd.set(`/deis/builder/users/${username(k.ownerId)}/${k.fingerprint}`, k.public);
			return model.keys.length;
		case 'App':
			for (const a of model.apps) etcd.mkdir(`/deis/services/${a.id}`);
			return model.apps.length;
		case 'Domain':
			for (const d of model.domains) etcd.set(`/deis/domains/${d.domain}`, d.appId);
			return model.domains.length;
		case 'Certificate':
			for (const c of model.certificates) {
				etcd.set(`/deis/certs/${c.commonName}/cert`, c.certificate);
				etcd.set(`/deis/certs/${c.commonName}/key`, c.key);
			}
			return model.certificates.length;
		case 'Config':
			// Each save first purges the app's config directory, so the newest config wins
			// and keys unset since an older config do not linger.
			for (const c of model.configs) {
				etcd.rm(`/deis/config/${c.appId}`, { recursive: true });
				for (const [k, v] of Object.entries(c.values)) etcd.set(`/deis/config/${c.appId}/${k.toLowerCase()}`, v);
			}
			return model.configs.length;
	}
}

export const ALL_MODELS: readonly ModelName[] = ['Key', 'App', 'Domain', 'Certificate', 'Config'];

/** `load_db_state_to_etcd`: every model, in the order the procedure's script uses. */
export function publishAll(model: DemoModel, etcd: DemoEtcd): void {
	for (const m of ALL_MODELS) saveAll(model, etcd, m);
}
