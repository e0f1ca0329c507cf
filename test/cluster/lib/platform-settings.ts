/**
 * The platform's own settings in etcd, as on the demo clusters (the same
 * values, source/demo/settings.ts): the source cluster carries the keys an
 * operator sets next to the ones the platform generated; a fresh cluster has
 * only generated keys, with values of its own, and none of the operator's.
 */
import { generatedSettings, operatorSettings } from '../../../source/demo/settings.js';
import { etcdRemove, etcdSet } from './etcd.js';
import { DOMAIN, LOOPBACK } from './paths.js';

/** Every key either cluster may hold, and the one a restore translates an old name to. */
function allKeys(): string[] {
	return [...new Set([...Object.keys(operatorSettings()), ...Object.keys(generatedSettings('any', LOOPBACK)), '/deis/controller/registrationEnabled'])];
}

/**
 * What each mode's platform generated. /deis/builder is left out: the harness counts
 * everything below it as the controller's models (MODEL_DIRS).
 */
export function generatedFor(mode: 'source' | 'fresh'): Record<string, string> {
	return Object.fromEntries(Object.entries(generatedSettings(`sim-${mode}`, LOOPBACK)).filter(([key]) => !key.startsWith('/deis/builder/')));
}

export async function seedPlatformSettings(mode: 'source' | 'fresh'): Promise<void> {
	await Promise.all(allKeys().map(etcdRemove));
	const values = { '/deis/platform/domain': DOMAIN, ...generatedFor(mode), ...(mode === 'source' ? operatorSettings() : {}) };
	await Promise.all(Object.entries(values).map(([key, value]) => etcdSet(key, value)));
}
