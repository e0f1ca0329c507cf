// "Finishing up": the controller re-publishes its models to etcd, by the procedure's
// manage.py shell script or by the later `manage.py load_db_state_to_etcd`.
import { after, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { commands, RESAVE_SCRIPT } from '../../source/cluster/commands.js';
import { etcdGet, etcdList, etcdRemove, loadCluster, makeSource, MODEL_DIRS, runOnHost, setControllerVersion } from '../cluster/env.js';

const env = loadCluster();

/** Every key (and directory) the fixture database publishes. */
const EXPECTED = [
	'/deis/builder/users', '/deis/builder/users/admin',
	'/deis/builder/users/admin/4c:e3:bc:fd:d4:1f:75:56:97:28:ee:c4:ec:ff:b3:be',
	'/deis/builder/users/admin/7d:7c:ea:8f:56:14:91:28:de:2a:a7:b7:3a:35:ce:90',
	'/deis/builder/users/dev', '/deis/builder/users/dev/4b:0b:29:c8:58:f2:a4:fd:c0:d5:a7:f8:c4:19:40:0c',
	'/deis/services/api-staging', '/deis/services/webapp', '/deis/services/worker-jobs',
	'/deis/domains/api.staging.example.test', '/deis/domains/example.test', '/deis/domains/www.example.test',
	'/deis/certs/www.example.test', '/deis/certs/www.example.test/cert', '/deis/certs/www.example.test/key',
	'/deis/config/api-staging', '/deis/config/api-staging/allowed_hosts', '/deis/config/api-staging/api_token', '/deis/config/api-staging/log_level',
	'/deis/config/webapp', '/deis/config/webapp/database_url', '/deis/config/webapp/new_relic_app_name', '/deis/config/webapp/secret_key', '/deis/config/webapp/web_concurrency',
	'/deis/config/worker-jobs', '/deis/config/worker-jobs/concurrency', '/deis/config/worker-jobs/queue_url',
].sort();

async function publishedKeys(): Promise<string[]> {
	return (await Promise.all(MODEL_DIRS.map(etcdList))).flat().sort();
}

beforeEach(async () => {
	await Promise.all(MODEL_DIRS.map(etcdRemove));
	assert.deepEqual(await publishedKeys(), []);
});

after(makeSource);

test('the procedure\'s manage.py shell script re-publishes keys, apps, domains, certificates and configs', async () => {
	const res = await runOnHost(env, commands.resaveModels(env.etcdHostPort), RESAVE_SCRIPT);
	assert.equal(res.code, 0, res.stderr);
	assert.deepEqual(await publishedKeys(), EXPECTED);
	assert.equal(
		await etcdGet('/deis/builder/users/admin/7d:7c:ea:8f:56:14:91:28:de:2a:a7:b7:3a:35:ce:90'),
		'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAaKBRDCumJKE446miTBaI1WMx/0Hyu7+UbBw/GyTr1/ admin@laptop',
	);
	assert.equal(await etcdGet('/deis/domains/www.example.test'), 'webapp');
	assert.match((await etcdGet('/deis/certs/www.example.test/cert')) ?? '', /^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----$/);
	assert.match((await etcdGet('/deis/certs/www.example.test/key')) ?? '', /^-----BEGIN PRIVATE KEY-----/);
	assert.equal(await etcdGet('/deis/config/webapp/secret_key'), 'k9#Qz!v2 with spaces');
	const listed = await runOnHost(env, commands.etcdList('/deis/domains'));
	assert.equal(listed.code, 0, listed.stderr);
	assert.deepEqual(listed.stdout.toString().trim().split('\n').sort(), EXPECTED.filter((k) => k.startsWith('/deis/domains/')));
});

test('a script saving only some models publishes only those', async () => {
	const script = 'from api.models import *\n[d.save() for d in Domain.objects.all()]\n';
	const res = await runOnHost(env, commands.resaveModels(env.etcdHostPort), script);
	assert.equal(res.code, 0, res.stderr);
	assert.deepEqual(await publishedKeys(), EXPECTED.filter((k) => k.startsWith('/deis/domains/')));
});

// Deis v1's models.py connects its etcd handlers only if etcd answers at import:
// otherwise it warns, saves without publishing, and exits 0.
test('without ETCD or with an unreachable one nothing is published (a warning, exit 0); a script it cannot run fails', async () => {
	const noEtcd = await runOnHost(env, ['docker', 'exec', '-i', 'deis-controller', '/app/manage.py', 'shell'], RESAVE_SCRIPT);
	assert.equal(noEtcd.code, 0);
	assert.equal(noEtcd.stderr, 'WARNING Cannot synchronize with etcd cluster\n');
	const unreachable = await runOnHost(env, commands.resaveModels('127.0.0.1:1'), RESAVE_SCRIPT);
	assert.equal(unreachable.code, 0);
	assert.equal(unreachable.stderr, 'WARNING Cannot synchronize with etcd cluster\n');
	const bad = await runOnHost(env, commands.resaveModels(env.etcdHostPort), 'from api.models import *\nApp.objects.all().delete()\n');
	assert.notEqual(bad.code, 0);
	const empty = await runOnHost(env, commands.resaveModels(env.etcdHostPort), '');
	assert.notEqual(empty.code, 0);
	assert.deepEqual(await publishedKeys(), []);
});

test('load_db_state_to_etcd exists only on a new controller, and publishes everything there', async () => {
	setControllerVersion('old');
	const oldHelp = await runOnHost(env, commands.hasLoadDbState(env.etcdHostPort));
	assert.equal(oldHelp.code, 1);
	assert.match(oldHelp.stderr, /Unknown command: 'load_db_state_to_etcd'/);
	assert.notEqual((await runOnHost(env, commands.loadDbState(env.etcdHostPort))).code, 0);
	assert.deepEqual(await publishedKeys(), []);

	setControllerVersion('new');
	assert.equal((await runOnHost(env, commands.hasLoadDbState(env.etcdHostPort))).code, 0);
	const res = await runOnHost(env, commands.loadDbState(env.etcdHostPort));
	assert.equal(res.code, 0, res.stderr);
	assert.deepEqual(await publishedKeys(), EXPECTED);
});
