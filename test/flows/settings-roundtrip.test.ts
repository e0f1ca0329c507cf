/**
 * The platform's own settings through a backup and a restore on the demo
 * clusters: operator keys back byte for byte, generated keys left to the new
 * cluster, a different domain kept, old names translated, unticked keys and
 * a cluster whose etcd cannot be read handled.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readManifest } from '../../source/archive/manifest.js';
import { SETTINGS_FILE } from '../../source/archive/settings-file.js';
import { verifyFolder } from '../../source/archive/verify.js';
import { startDemoCluster, type DemoCluster } from '../../source/demo/cluster.js';
import { EtcdError } from '../../source/demo/etcd.js';
import { generatedSettings, operatorSettings, SOURCE_VERSION } from '../../source/demo/settings.js';
import { previewSettings } from '../../source/plans/settings.js';
import { backup, restore } from '../support/plans.js';
import { asTyped } from '../support/installed.js';

let root: string;
let source: DemoCluster;
let folder: string;
const clusters: DemoCluster[] = [];

/** Keys the default selection leaves out on a cluster of the same domain, and why. */
const HELD = ['/deis/platform/version', '/deis/router/image'];
/** Listed in the preview, never applied. */
const NEVER = ['/deis/controller/schedulerModule', '/deis/monitoring/datadogApiKey'];

/** Only what the restore's settings stage does: the data stages are covered elsewhere. */
const settingsOnly = { skipBuckets: true, skipVolume: true, skipController: true, skipVerify: true } as const;

async function freshCluster(name: string): Promise<DemoCluster> {
	const cluster = await startDemoCluster({ root, mode: 'fresh', name });
	clusters.push(cluster);
	return cluster;
}

function etcdSets(cluster: DemoCluster): string[] {
	return cluster.log.filter((entry) => entry.argv?.[0] === 'etcdctl' && entry.argv[1] === 'set').map((entry) => entry.argv?.[2] as string);
}

before(async () => {
	root = await mkdtemp(join(tmpdir(), 'flows-settings-'));
	source = await startDemoCluster({ root, mode: 'source' });
	clusters.push(source);
	folder = join(root, 'backup');
	const summary = await backup(source.connection, folder, { skipDatabase: true, skipVolume: true });
	assert.equal(summary.ok, true, summary.error);
});

after(async () => {
	await Promise.all(clusters.map((cluster) => cluster.stop()));
	await rm(root, { recursive: true, force: true });
});

test('a backup reads the gateway keys and bucket names from its one read of etcd /deis, with no deisctl call', () => {
	const commands = source.log.map((entry) => asTyped(entry.command));
	assert.equal(commands.filter((command) => command.startsWith('etcdctl -o json ls --recursive /deis')).length, 1, commands.join(' | '));
	assert.ok(!commands.some((command) => command.startsWith('deisctl config')), commands.join(' | '));
});

test('a backup saves the operator keys, 0600, each value checksummed in the manifest with the release and domain', async () => {
	const manifest = await readManifest(folder);
	assert.deepEqual(manifest.platform, { version: SOURCE_VERSION, versionSource: 'etcd', domain: 'demo.deis' });
	const settings = manifest.settings;
	assert.ok(settings, 'settings recorded');
	assert.equal(((await stat(join(folder, SETTINGS_FILE))).mode & 0o777).toString(8), '600');
	const saved = JSON.parse(await readFile(join(folder, SETTINGS_FILE), 'utf8'));
	for (const [key, value] of Object.entries(operatorSettings())) {
		if (key === '/deis/monitoring/datadogApiKey') assert.equal(saved.unknown[key], value, 'unknown keys kept apart');
		else assert.equal(saved.operator[key], value, key);
	}
	assert.ok(Object.hasOwn(settings.values, '/deis/router/sslKey'));
	assert.ok(!Object.hasOwn(settings.values, '/deis/monitoring/datadogApiKey'), 'unknown keys are not operator keys');
	for (const key of Object.keys(generatedSettings('source', '127.0.0.1'))) {
		assert.ok(!Object.hasOwn(saved.operator, key) && !Object.hasOwn(saved.unknown, key), `${key} is not saved`);
		assert.ok(saved.generated.includes(key), `${key} listed as generated`);
	}
	const check = await verifyFolder(folder, manifest, () => {});
	assert.deepEqual(check.problems, []);
	assert.ok(check.checked > manifest.buckets.reduce((sum, b) => sum + b.objects.length, 0), 'verify reads the settings file too');
});

test('a restore brings every default operator key back byte for byte and touches no generated key', async () => {
	const fresh = await freshCluster('fresh-roundtrip');
	const before = fresh.etcd.entries();
	const summary = await restore(fresh.connection, folder, { ...settingsOnly, skipController: false, resetBodySize: true });
	assert.equal(summary.ok, true, summary.error);
	const after = fresh.etcd.entries();
	for (const [key, value] of Object.entries(operatorSettings())) {
		if (HELD.includes(key) || NEVER.includes(key)) assert.equal(after[key], undefined, `${key} left out`);
		else assert.equal(after[key], value, `${key} byte for byte`);
	}
	// Values with `=` in them (base64 padding, an LDAP DN, a drain URL's token) came through whole.
	assert.match(after['/deis/platform/sshPrivateKey'] ?? '', /=$/);
	assert.equal(after['/deis/logs/drain'], 'syslog+tls://logs.example.com:6514/?token=dr41n-t0ken=');
	assert.equal(after['/deis/controller/auth/ldap/bind/dn'], 'cn=deis,ou=services,dc=example,dc=com');
	for (const [key, value] of Object.entries(before)) {
		if (key === '/deis/router/bodySize') continue;
		assert.equal(after[key], value, `${key} is the new cluster's own`);
	}
	const theirs = generatedSettings('source', '127.0.0.1');
	const differing = Object.keys(theirs).filter((key) => before[key] !== undefined && before[key] !== theirs[key]);
	assert.ok(differing.length >= 5, 'the clusters generated values of their own');
	for (const key of differing) assert.notEqual(after[key], theirs[key], `${key} not copied from the old cluster`);
	const written = etcdSets(fresh);
	assert.ok(written.length > 20, 'settings written with etcdctl set');
	assert.ok(!written.some((key) => key in theirs || /\/(?:secretKey|builderKey|fsid|host|port|hosts)(?:\/|$)/.test(key.replace('/deis/store/gateway/', ''))), written.join(' '));
	assert.ok(!fresh.log.some((entry) => /^deisctl config \S+ set (?!bodySize=)/.test(asTyped(entry.command))), 'no value went through deisctl config set');
	const install = fresh.log.findIndex((entry) => asTyped(entry.command).startsWith('deisctl install'));
	assert.ok(install >= 0, 'the platform was installed');
	const lastSet = fresh.log.map((entry) => entry.argv?.[0] === 'etcdctl' && entry.argv[1] === 'set').lastIndexOf(true);
	assert.ok(lastSet < install, 'every setting, store tuning included, is written before the store units start');
});

test('a different domain is listed but not applied unless ticked', async () => {
	const other = await freshCluster('fresh-other-domain');
	other.etcd.set('/deis/platform/domain', 'other.deis');
	const answers = { kind: 'restore' as const, connection: other.connection, folder, skipDatabase: true, skipVolume: true };
	const plan = await previewSettings(answers);
	const domain = plan?.rows.find((row) => row.key === 'platform/domain');
	assert.equal(domain?.status, 'different');
	assert.equal(domain?.chosen, false);
	assert.match(domain?.note ?? '', /serves other\.deis/);
	const summary = await restore(other.connection, folder, settingsOnly);
	assert.equal(summary.ok, true, summary.error);
	assert.equal(other.etcd.get('/deis/platform/domain'), 'other.deis');

	const ticked = await freshCluster('fresh-domain-ticked');
	ticked.etcd.set('/deis/platform/domain', 'other.deis');
	const chosen = await restore(ticked.connection, folder, { ...settingsOnly, answers: { kind: 'restore', connection: ticked.connection, folder, skipDatabase: true, skipVolume: true, settingsChoice: { 'platform/domain': true, 'router/sslKey': false } } });
	assert.equal(chosen.ok, true, chosen.error);
	assert.equal(ticked.etcd.get('/deis/platform/domain'), 'demo.deis', 'applied once ticked');
	assert.equal(ticked.etcd.get('/deis/router/sslKey'), undefined, 'unticked key left out');
	assert.equal(ticked.etcd.get('/deis/router/sslCert'), operatorSettings()['/deis/router/sslCert'], 'the rest as by default');
});

test('old key names are translated and dropped keys are not applied', async () => {
	const old = await startDemoCluster({ root, mode: 'source', name: 'source-v1-5' });
	clusters.push(old);
	old.etcd.rm('/deis/controller/registrationMode');
	old.etcd.set('/deis/controller/registrationEnabled', 'false');
	old.etcd.set('/deis/cache/maxmemory', '50mb');
	const oldFolder = join(root, 'backup-old');
	const saved = await backup(old.connection, oldFolder, { skipDatabase: true, skipVolume: true });
	assert.equal(saved.ok, true, saved.error);
	const target = await freshCluster('fresh-from-old');
	const summary = await restore(target.connection, oldFolder, settingsOnly);
	assert.equal(summary.ok, true, summary.error);
	assert.equal(target.etcd.get('/deis/controller/registrationMode'), 'disabled');
	assert.equal(target.etcd.get('/deis/controller/registrationEnabled'), undefined);
	assert.equal(target.etcd.get('/deis/cache/maxmemory'), undefined);
	assert.equal(target.etcd.get('/deis/controller/schedulerModule'), undefined);
});

test('a cluster whose etcd cannot be read is backed up with a warning, and that backup restores as before', async () => {
	const broken = await startDemoCluster({ root, mode: 'source', name: 'source-no-etcd' });
	clusters.push(broken);
	broken.etcd.ls = () => {
		throw new EtcdError(300, '/deis', 'Raft Internal Error');
	};
	const brokenFolder = join(root, 'backup-no-etcd');
	const saved = await backup(broken.connection, brokenFolder, { skipDatabase: true, skipVolume: true });
	assert.equal(saved.ok, true, saved.error);
	assert.ok(saved.warnings.some((warning) => /platform settings not saved/.test(warning)), saved.warnings.join(' | '));
	// The keys and bucket names came from deisctl instead.
	const commands = broken.log.map((entry) => asTyped(entry.command));
	assert.ok(commands.includes('deisctl config store get gateway/accessKey gateway/secretKey'), commands.join(' | '));
	assert.ok(commands.includes('deisctl config database get bucketName') && commands.includes('deisctl config registry get bucketName'), commands.join(' | '));
	const manifest = await readManifest(brokenFolder);
	assert.equal(manifest.settings, undefined);
	assert.equal(manifest.steps.find((step) => step.stage === 'settings')?.outcome, 'warning');
	await assert.rejects(stat(join(brokenFolder, SETTINGS_FILE)));
	const target = await freshCluster('fresh-no-settings');
	const before = target.etcd.entries();
	const summary = await restore(target.connection, brokenFolder, settingsOnly);
	assert.equal(summary.ok, true, summary.error);
	assert.deepEqual(etcdSets(target), [], 'nothing written to etcd directly');
	assert.equal(target.etcd.get('/deis/router/sslKey'), undefined);
	assert.equal(target.etcd.get('/deis/controller/secretKey'), before['/deis/controller/secretKey']);
});
