/**
 * The platform settings' classification, the restore's plan, the file and
 * its checksums, release comparison and masking: no cluster needed.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readSettingsFile, SETTINGS_FORMAT, writeSettingsFile, type SavedSettings } from '../../source/archive/settings-file.js';
import { UserError } from '../../source/errors.js';
import { classify, isStockImage, storeModeOf, translateValue } from '../../source/steps/settings/catalog.js';
import { MASKED, shownValue } from '../../source/steps/settings/display.js';
import { buildSettingsPlan, chosenKeys, type SettingRow } from '../../source/steps/settings/plan.js';
import { parseTree, type DeisTree } from '../../source/steps/settings/read.js';
import { parseDeisRelease } from '../../source/steps/settings/read.js';
import { sortSettings } from '../../source/steps/settings/save.js';
import { compareVersions, describeUpgrade } from '../../source/steps/settings/version.js';

const PEM_KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIEow==\n-----END RSA PRIVATE KEY-----\n';

function tree(values: Record<string, string>): DeisTree {
	return { values: new Map(Object.entries(values)), dirs: [] };
}

function saved(operator: Record<string, string>, extra: Partial<SavedSettings> = {}): SavedSettings {
	return { format: SETTINGS_FORMAT, operator, unknown: {}, generated: ['/deis/store/fsid'], ...extra };
}

function row(rows: SettingRow[], key: string): SettingRow {
	const found = rows.find((r) => r.key === key);
	assert.ok(found, `a row for ${key}`);
	return found;
}

test('the note’s operator keys are operator keys, with the secrets marked', () => {
	const operator: Array<[string, boolean]> = [
		['/deis/platform/sshPrivateKey', true],
		['/deis/platform/domain', false],
		['/deis/controller/registrationMode', false],
		['/deis/controller/auth/ldap/bind/password', true],
		['/deis/controller/auth/ldap/bind/dn', false],
		['/deis/router/sslKey', true],
		['/deis/router/sslCert', false],
		['/deis/router/hsts/maxAge', false],
		['/deis/router/controller/timeout/read', false],
		['/deis/router/gzipTypes', false],
		['/deis/logs/drain', true],
		['/deis/registry/s3secretKey', true],
		['/deis/registry/s3bucket', false],
		['/deis/logger/image', false],
	];
	for (const [key, secret] of operator) {
		const info = classify(key, 'ceph');
		assert.equal(info.kind, 'operator', key);
		assert.equal(info.secret, secret, `${key} secret`);
	}
	assert.equal(classify('/deis/store/pgNum', 'ceph').early, true);
});

test('generated keys are never operator keys, whatever their directory', () => {
	for (const key of [
		'/deis/controller/host',
		'/deis/router/hosts/10.0.0.5',
		'/deis/store/gateway/masterLock',
		'/deis/domains/shop.example.com',
		'/deis/certs/shop.example.com/key',
		'/deis/config/shop/database_url',
		'/deis/builder/users/alice/aa:bb',
		'/deis/services/shop/shop_v2.web.1',
		'/deis/store/fsid',
		'/deis/store/monKeyring',
		'/deis/store/osds/10.0.0.5',
		'/deis/controller/secretKey',
		'/deis/controller/builderKey',
		'/deis/database/adminPass',
		'/deis/database/password',
		'/deis/store/gateway/secretKey',
		'/deis/migrations/data/0002',
		'/deis/builder/sshHostEcdsaKey',
	]) {
		assert.equal(classify(key, 'ceph').kind, 'generated', key);
	}
	// Stateless clusters point at an external Postgres and S3: there these are the operator's.
	assert.equal(classify('/deis/database/password', 'stateless').kind, 'operator');
	assert.equal(classify('/deis/database/password', 'stateless').secret, true);
	assert.equal(classify('/deis/store/gateway/accessKey', 'stateless').kind, 'operator');
	assert.equal(storeModeOf(['/deis/store/fsid']), 'ceph');
	assert.equal(storeModeOf(['/deis/database/host']), 'stateless');
	assert.equal(classify('/deis/someone/elses', 'ceph').kind, 'unknown');
	assert.equal(classify('/deis/someone/elses', 'ceph').secret, true, 'unknown keys are masked');
});

test('backup sorts /deis into operator, unknown and generated (names only)', () => {
	const result = sortSettings(
		tree({
			'/deis/store/fsid': 'f',
			'/deis/router/sslKey': PEM_KEY,
			'/deis/controller/registrationEnabled': '0',
			'/deis/cache/maxmemory': '50mb',
			'/deis/controller/secretKey': 'generated-secret',
			'/deis/ops/owner': 'team',
		}),
	);
	assert.deepEqual(Object.keys(result.operator).sort(), ['/deis/cache/maxmemory', '/deis/controller/registrationEnabled', '/deis/router/sslKey']);
	assert.deepEqual(result.unknown, { '/deis/ops/owner': 'team' });
	assert.deepEqual(result.generated.sort(), ['/deis/controller/secretKey', '/deis/store/fsid']);
	assert.ok(!JSON.stringify(result.generated).includes('generated-secret'), 'no generated value is kept');
});

test('etcd’s JSON tree parses to exact values, newlines and `=` included', () => {
	const json = JSON.stringify({
		action: 'get',
		node: { key: '/deis', dir: true, nodes: [{ key: '/deis/router', dir: true, nodes: [{ key: '/deis/router/sslKey', value: PEM_KEY }] }, { key: '/deis/logs', dir: true, nodes: [{ key: '/deis/logs/drain', value: 'udp://x?t=a=b' }] }] },
	});
	const parsed = parseTree(json);
	assert.equal(parsed.values.get('/deis/router/sslKey'), PEM_KEY);
	assert.equal(parsed.values.get('/deis/logs/drain'), 'udp://x?t=a=b');
	assert.deepEqual(parsed.dirs.sort(), ['/deis/logs', '/deis/router']);
	assert.equal(parseDeisRelease('# provisioned\nDEIS_RELEASE=v1.13.4\n'), 'v1.13.4');
	assert.equal(parseDeisRelease('nothing here'), undefined);
});

test('the plan: new, same, different; generated and unknown never copied; values kept out of the rows', () => {
	const { plan, values } = buildSettingsPlan({
		saved: saved({ '/deis/router/sslKey': PEM_KEY, '/deis/router/enforceHTTPS': 'true', '/deis/controller/workers': '5' }, { unknown: { '/deis/ops/token': 'tok' } }),
		target: tree({ '/deis/router/enforceHTTPS': 'true', '/deis/controller/workers': '9', '/deis/store/fsid': 'new' }),
		targetDomain: 'new.example.com',
	});
	assert.equal(row(plan.rows, 'router/sslKey').status, 'new');
	assert.equal(row(plan.rows, 'router/sslKey').chosen, true);
	assert.equal(row(plan.rows, 'router/enforceHTTPS').status, 'same');
	assert.equal(row(plan.rows, 'router/enforceHTTPS').choosable, false);
	const workers = row(plan.rows, 'controller/workers');
	assert.equal(workers.status, 'different');
	assert.equal(workers.current, '9');
	assert.equal(row(plan.rows, 'ops/token').status, 'never');
	assert.equal(row(plan.rows, 'store/fsid').status, 'never');
	assert.deepEqual(chosenKeys(plan).sort(), ['controller/workers', 'router/sslKey']);
	assert.equal(values.get('router/sslKey'), PEM_KEY);
	assert.ok(!values.has('ops/token'), 'unknown values are not offered for writing');
	const text = JSON.stringify(plan);
	assert.ok(!text.includes('MIIEow') && !text.includes('tok"'), 'no secret value in the rows');
	assert.equal(row(plan.rows, 'router/sslKey').shown, MASKED);
});

test('a different domain, the version and stock images are left out by default but can be ticked', () => {
	const { plan } = buildSettingsPlan({
		saved: saved({
			'/deis/platform/domain': 'old.example.com',
			'/deis/platform/version': 'v1.12.2',
			'/deis/router/image': 'deis/router:v1.12.2',
			'/deis/logger/image': 'registry.example.com/ops/logger:custom',
		}),
		target: tree({ '/deis/platform/domain': 'new.example.com' }),
		targetDomain: 'new.example.com',
	});
	const domain = row(plan.rows, 'platform/domain');
	assert.equal(domain.status, 'different');
	assert.equal(domain.chosen, false);
	assert.match(domain.note ?? '', /serves new\.example\.com/);
	assert.equal(row(plan.rows, 'platform/version').chosen, false);
	assert.equal(row(plan.rows, 'router/image').chosen, false);
	assert.deepEqual(chosenKeys(plan), ['logger/image']);
	assert.deepEqual(chosenKeys(plan, { 'platform/domain': true, 'logger/image': false }), ['platform/domain']);
	// The same domain goes across without asking.
	const same = buildSettingsPlan({ saved: saved({ '/deis/platform/domain': 'example.com' }), target: tree({}), targetDomain: 'example.com' }).plan;
	assert.deepEqual(chosenKeys(same), ['platform/domain']);
	assert.equal(isStockImage('deis/router:v1.13.4'), true);
	assert.equal(isStockImage('quay.io/deis/router:v1.13.4'), true);
	assert.equal(isStockImage('registry.example.com/deis/router:v1.13.4'), false);
});

test('old key names are translated, dropped ones listed and not applied', () => {
	const { plan, values } = buildSettingsPlan({
		saved: saved({ '/deis/controller/registrationEnabled': 'false', '/deis/controller/schedulerModule': 'scheduler.fleet', '/deis/cache/maxmemory': '50mb' }),
		target: tree({}),
		targetDomain: 'example.com',
	});
	const mode = row(plan.rows, 'controller/registrationMode');
	assert.equal(mode.from, 'controller/registrationEnabled');
	assert.equal(mode.status, 'new');
	assert.equal(values.get('controller/registrationMode'), 'disabled');
	assert.equal(row(plan.rows, 'controller/schedulerModule').status, 'never');
	assert.match(row(plan.rows, 'cache/maxmemory').note ?? '', /removed in v1\.11/);
	assert.deepEqual(chosenKeys(plan), ['controller/registrationMode']);
	assert.equal(translateValue('/deis/controller/registrationEnabled', '1'), 'enabled');
	assert.equal(translateValue('/deis/controller/registrationEnabled', 'False'), 'disabled');
	// Both names saved: the newer one wins, the older is listed.
	const both = buildSettingsPlan({
		saved: saved({ '/deis/controller/registrationEnabled': '1', '/deis/controller/registrationMode': 'admin_only' }),
		target: tree({}),
		targetDomain: 'example.com',
	});
	assert.equal(both.values.get('controller/registrationMode'), 'admin_only');
	assert.equal(row(both.plan.rows, 'controller/registrationEnabled').status, 'never');
});

test('release comparison words the restore, and warns when the new cluster is older', () => {
	assert.equal(compareVersions('v1.13.4', 'v1.12.2'), 1);
	assert.equal(compareVersions('1.9.0', 'v1.10.0'), -1);
	assert.equal(compareVersions('v1.13.4', 'latest'), undefined);
	assert.equal(describeUpgrade('v1.12.2', 'v1.13.4').message, 'backup of v1.12.2 → restoring into v1.13.4, a migration upgrade');
	assert.equal(describeUpgrade('v1.12.2', 'v1.13.4').warning, undefined);
	const older = describeUpgrade('v1.13.4', 'v1.12.2');
	assert.match(older.warning ?? '', /older than the backup's v1\.13\.4/);
	assert.match(describeUpgrade('v1.12.2', undefined).message, /unknown release/);
});

test('values are shown masked for secrets and summarised when long', () => {
	assert.equal(shownValue('hunter2', true), MASKED);
	assert.equal(shownValue(PEM_KEY, false), `PEM RSA PRIVATE KEY, ${PEM_KEY.length} bytes`);
	assert.equal(shownValue('a\nb\nc', false), 'a … (3 lines, 5 bytes)');
	assert.equal(shownValue('', false), '(empty)');
	assert.ok(shownValue('x'.repeat(200), false).length < 70);
});

test('the settings file is 0600, and a value changed after the backup is refused', async () => {
	const folder = await mkdtemp(join(tmpdir(), 'settings-file-'));
	const content = saved({ '/deis/router/sslKey': PEM_KEY, '/deis/logs/drain': 'syslog://x?token=a=' }, { unknown: { '/deis/ops/x': 'y' } });
	const entry = await writeSettingsFile(folder, content);
	assert.equal(((await stat(join(folder, entry.file))).mode & 0o777).toString(8), '600');
	assert.deepEqual(await readSettingsFile(folder, entry), content);
	assert.equal(Object.keys(entry.values).length, 2);
	const text = await readFile(join(folder, entry.file), 'utf8');
	await writeFile(join(folder, entry.file), text.replace('token=a=', 'token=b='));
	await assert.rejects(readSettingsFile(folder, entry), (error: unknown) => error instanceof UserError && /logs\/drain.*checksum/.test(error.message));
	await writeFile(join(folder, entry.file), text.replace('"/deis/ops/x"', '"/deis/ops/z"'));
	await assert.rejects(readSettingsFile(folder, entry), /other unknown keys/);
});

test('a manifest whose settings entry was edited is refused', async () => {
	const { validateManifest, MANIFEST_FORMAT } = await import('../../source/archive/manifest.js');
	const base = { format: MANIFEST_FORMAT, tool: { name: 'deis-backup', version: '0' }, cluster: {}, buckets: [], steps: [] };
	const good = { file: 'platform-settings.json', size: 1, sha256: 'a'.repeat(64), values: { '/deis/router/sslKey': 'b'.repeat(64) }, unknown: {} };
	assert.doesNotThrow(() => validateManifest({ ...base, settings: good }, '/x'));
	for (const bad of [{ ...good, file: '../elsewhere.json' }, { ...good, values: { '/deis/router/sslKey': 'not-a-checksum' } }, { ...good, unknown: undefined }]) {
		assert.throws(() => validateManifest({ ...base, settings: bad }, '/x'), /settings entry/);
	}
});
