// The host answers as a CoreOS machine of Deis v1 does: Docker 1.12's `docker exec`,
// a controller whose exec'd processes have no ETCD, deisctl only in /opt/bin and
// nse only in login shells.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RESAVE_SCRIPT } from '../../source/cluster/commands.js';
import { dockerLog, etcdList, etcdRemove, loadCluster, makeSource, MODEL_DIRS, runOnHost, setControllerVersion } from '../cluster/env.js';

const env = loadCluster();
const ETCD = `ETCD=${env.etcdHostPort}`;
const WARNING = 'WARNING Cannot synchronize with etcd cluster\n';

async function publishedKeys(): Promise<string[]> {
	return (await Promise.all(MODEL_DIRS.map(etcdList))).flat().sort();
}

/** What the source cluster has published from its database (keys, apps, domains, certificates, configs). */
let ALL: string[] = [];

before(async () => {
	await makeSource();
	ALL = await publishedKeys();
	assert.ok(ALL.length > 20, `the source cluster publishes its models (${ALL.length} keys)`);
});

after(async () => {
	setControllerVersion('old');
	await makeSource();
});

describe('docker exec is Docker 1.12\'s', () => {
	const usage = (flag: string) => `flag provided but not defined: ${flag}\nSee 'docker exec --help'.\n`;

	for (const [argv, flag] of [
		[['-e', ETCD], '-e'],
		[['-i', '-e', ETCD], '-e'],
		[[`--env=${ETCD}`], '--env'],
		[['--env', ETCD], '--env'],
		[['-ie', ETCD], '-e'],
		[['-w', '/app'], '-w'],
		[['--workdir', '/app'], '--workdir'],
	] as const) {
		test(`\`docker exec ${argv.join(' ')} …\` fails with exit 125 and runs nothing`, async () => {
			const before = await publishedKeys();
			const res = await runOnHost(env, ['docker', 'exec', ...argv, 'deis-controller', '/app/manage.py', 'shell'], RESAVE_SCRIPT);
			assert.equal(res.code, 125);
			assert.equal(res.stderr, usage(flag));
			assert.equal(res.stdout.length, 0);
			assert.deepEqual(await publishedKeys(), before);
		});
	}

	test('its own flags are accepted: -d -i -t -u --privileged --detach-keys, alone or grouped', async () => {
		setControllerVersion('new');
		for (const flags of [[], ['-i'], ['-t'], ['-it'], ['-ti'], ['-u', 'root'], ['-uroot'], ['--user=root'], ['--privileged'], ['--detach-keys', 'ctrl-p,q'], ['--detach-keys=ctrl-x'], ['-i', '-t', '-u', 'root', '--privileged']]) {
			const res = await runOnHost(env, ['docker', 'exec', ...flags, 'deis-controller', '/app/manage.py', 'help', 'load_db_state_to_etcd']);
			assert.equal(res.code, 0, `${flags.join(' ')}: ${res.stderr}`);
			assert.match(res.stdout.toString(), /^Usage: manage\.py load_db_state_to_etcd/);
		}
	});

	test('-d runs the command in the background and returns at once with no output', async () => {
		const before = dockerLog().length;
		const res = await runOnHost(env, ['docker', 'exec', '-d', 'deis-database', 'sudo', '-u', 'postgres', 'pg_dumpall']);
		assert.equal(res.code, 0, res.stderr);
		assert.equal(res.stdout.length, 0);
		assert.deepEqual(dockerLog().slice(before), ['exec -d deis-database sudo -u postgres pg_dumpall']);
	});
});

describe('the controller\'s exec environment has no ETCD', () => {
	beforeEach(async () => {
		await Promise.all(MODEL_DIRS.map(etcdRemove));
		assert.deepEqual(await publishedKeys(), []);
	});

	test('`env ETCD=<host ip>:4001 /app/manage.py shell` re-publishes every model', async () => {
		const res = await runOnHost(env, ['docker', 'exec', '-i', 'deis-controller', 'env', ETCD, '/app/manage.py', 'shell'], RESAVE_SCRIPT);
		assert.equal(res.code, 0, res.stderr);
		assert.equal(res.stderr, '');
		assert.deepEqual(await publishedKeys(), ALL);
	});

	test('without ETCD, manage.py shell falls back to the container\'s 127.0.0.1:4001: a warning, exit 0, nothing published', async () => {
		const res = await runOnHost(env, ['docker', 'exec', '-i', 'deis-controller', '/app/manage.py', 'shell'], RESAVE_SCRIPT);
		assert.equal(res.code, 0);
		assert.equal(res.stderr, WARNING);
		assert.deepEqual(await publishedKeys(), []);
	});

	test('the caller\'s own ETCD does not reach the container', async () => {
		const res = await runOnHost(env, `export ${ETCD}; docker exec -i deis-controller /app/manage.py shell`, RESAVE_SCRIPT);
		assert.equal(res.code, 0);
		assert.equal(res.stderr, WARNING);
		assert.deepEqual(await publishedKeys(), []);
	});

	for (const etcd of ['127.0.0.1:2379', '127.0.0.1:1', '10.0.0.9:4001', '']) {
		test(`ETCD=${etcd || '(empty)'} is not this host's etcd on 4001: nothing published`, async () => {
			const res = await runOnHost(env, ['docker', 'exec', '-i', 'deis-controller', 'env', `ETCD=${etcd}`, '/app/manage.py', 'shell'], RESAVE_SCRIPT);
			assert.equal(res.code, 0);
			assert.equal(res.stderr, WARNING);
			assert.deepEqual(await publishedKeys(), []);
		});
	}

	test('env parses like coreutils env: -i, -u NAME, --, several assignments', async () => {
		const shown = await runOnHost(env, ['docker', 'exec', 'deis-controller', 'env', '-i', 'A=1', ETCD, 'env']);
		assert.equal(shown.code, 0, shown.stderr);
		assert.deepEqual(shown.stdout.toString().trim().split('\n').sort(), ['A=1', ETCD]);
		const unset = await runOnHost(env, ['docker', 'exec', '-i', 'deis-controller', 'env', ETCD, 'env', '-u', 'ETCD', '/app/manage.py', 'shell'], RESAVE_SCRIPT);
		assert.equal(unset.stderr, WARNING);
		assert.deepEqual(await publishedKeys(), []);
		const dashed = await runOnHost(env, ['docker', 'exec', '-i', 'deis-controller', 'env', '--', 'B=2', ETCD, './manage.py', 'shell'], RESAVE_SCRIPT);
		assert.equal(dashed.code, 0, dashed.stderr);
		assert.equal(dashed.stderr, '');
		assert.deepEqual(await publishedKeys(), ALL);
		const bad = await runOnHost(env, ['docker', 'exec', 'deis-controller', 'env', '-x', '/app/manage.py', 'shell']);
		assert.equal(bad.code, 125);
		assert.match(bad.stderr, /^env: invalid option -- 'x'/);
	});

	test('load_db_state_to_etcd (new controller) publishes only with ETCD; its help probe needs none', async () => {
		setControllerVersion('new');
		for (const probe of [['/app/manage.py'], ['env', ETCD, '/app/manage.py']]) {
			const help = await runOnHost(env, ['docker', 'exec', 'deis-controller', ...probe, 'help', 'load_db_state_to_etcd']);
			assert.equal(help.code, 0, help.stderr);
		}
		const bare = await runOnHost(env, ['docker', 'exec', 'deis-controller', '/app/manage.py', 'load_db_state_to_etcd']);
		assert.equal(bare.code, 0);
		assert.equal(bare.stderr, WARNING);
		assert.equal(bare.stdout.toString(), 'Publishing DB state to etcd...\nDone Publishing DB state to etcd.\n');
		assert.deepEqual(await publishedKeys(), []);
		const res = await runOnHost(env, ['docker', 'exec', 'deis-controller', 'env', ETCD, '/app/manage.py', 'load_db_state_to_etcd']);
		assert.equal(res.code, 0, res.stderr);
		assert.equal(res.stderr, '');
		assert.deepEqual(await publishedKeys(), ALL);
	});

	test('an old controller has no load_db_state_to_etcd, with or without env', async () => {
		setControllerVersion('old');
		for (const cmd of [['/app/manage.py', 'help', 'load_db_state_to_etcd'], ['env', ETCD, '/app/manage.py', 'load_db_state_to_etcd']]) {
			const res = await runOnHost(env, ['docker', 'exec', 'deis-controller', ...cmd]);
			assert.equal(res.code, 1);
			assert.match(res.stderr, /^Unknown command: 'load_db_state_to_etcd'/);
		}
	});
});

describe('deisctl lives in /opt/bin, nse in login shells', () => {
	test('a non-interactive command finds neither deisctl nor nse', async () => {
		for (const cmd of ['deisctl', 'nse']) {
			const res = await runOnHost(env, [cmd, 'list']);
			assert.equal(res.code, 127);
			assert.match(res.stderr, new RegExp(`${cmd}: command not found`));
		}
		assert.equal((await runOnHost(env, 'command -v deisctl')).code, 1);
	});

	test('/opt/bin/deisctl answers from a non-interactive command', async () => {
		const res = await runOnHost(env, ['/opt/bin/deisctl', 'config', 'store', 'get', 'gateway/accessKey']);
		assert.equal(res.code, 0, res.stderr);
		assert.equal(res.stdout.toString(), `${env.keys.accessKey}\n`);
	});

	test('`deisctl config <c> get` takes several keys, as deisctl v1 does: one value a line, nothing when one is missing', async () => {
		const both = await runOnHost(env, ['/opt/bin/deisctl', 'config', 'store', 'get', 'gateway/accessKey', 'gateway/secretKey']);
		assert.equal(both.code, 0, both.stderr);
		assert.equal(both.stdout.toString(), `${env.keys.accessKey}\n${env.keys.secretKey}\n`);
		const missing = await runOnHost(env, ['/opt/bin/deisctl', 'config', 'store', 'get', 'gateway/accessKey', 'gateway/noSuchKey']);
		assert.notEqual(missing.code, 0);
		assert.equal(missing.stdout.toString(), '');
		assert.match(missing.stderr, /Key not found \(\/deis\/store\/gateway\/noSuchKey\)/);
	});

	test('a login shell has /opt/bin on its PATH and the nse function', async () => {
		const res = await runOnHost(env, ['bash', '-lc', 'command -v deisctl && type -t nse']);
		assert.equal(res.code, 0, res.stderr);
		assert.equal(res.stdout.toString(), '/opt/bin/deisctl\nfunction\n');
	});

	test('the procedure by hand: a login shell, `nse deis-controller`, export ETCD, ./manage.py shell', async () => {
		await Promise.all(MODEL_DIRS.map(etcdRemove));
		const session = `nse deis-controller\nexport ${ETCD}\n./manage.py shell <<EOF\n${RESAVE_SCRIPT}EOF\nexit $?\n`;
		const res = await runOnHost(env, ['bash', '-l'], session);
		assert.equal(res.code, 0, res.stderr);
		assert.deepEqual(await publishedKeys(), ALL);
	});

	test('inside nse, forgetting `export ETCD` publishes nothing', async () => {
		await Promise.all(MODEL_DIRS.map(etcdRemove));
		const session = `nse deis-controller\n./manage.py shell <<EOF\n${RESAVE_SCRIPT}EOF\nexit $?\n`;
		const res = await runOnHost(env, ['bash', '-l'], session);
		assert.equal(res.code, 0, res.stderr);
		assert.match(res.stderr, /WARNING Cannot synchronize with etcd cluster/);
		assert.deepEqual(await publishedKeys(), []);
	});
});
