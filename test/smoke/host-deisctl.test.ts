// The host over ssh, and the deisctl shim: config, the fleet table, and the unit state changes the procedure makes.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { commands } from '../../source/cluster/commands.js';
import { ROUTER_UNIT, STORE_UNITS } from '../../source/deis.js';
import { deisctlLog, loadCluster, makeFresh, makeSource, readUnits, runOnHost, setUnitMachine } from '../cluster/env.js';
import { installed } from '../support/installed.js';

const env = loadCluster();

after(makeSource);

async function deisctl(argv: readonly string[]) {
	const res = await runOnHost(env, installed(argv));
	return { ...res, out: res.stdout.toString() };
}

/** `deisctl list` parsed: unit -> its columns. */
async function list(): Promise<Map<string, { machine: string; load: string; active: string; sub: string }>> {
	const res = await deisctl(commands.list());
	assert.equal(res.code, 0, res.stderr);
	const [header, ...rows] = res.out.trimEnd().split('\n');
	assert.deepEqual(header?.split(/\s+/), ['UNIT', 'MACHINE', 'LOAD', 'ACTIVE', 'SUB']);
	return new Map(
		rows.map((row) => {
			const [unit = '', machine = '', load = '', active = '', sub = ''] = row.split(/\s+/);
			return [unit, { machine, load, active, sub }];
		}),
	);
}

test('ssh with the generated key and strict known_hosts runs `/opt/bin/deisctl config store get gateway/accessKey`', () => {
	const out = execFileSync('ssh', [
		'-p', '2222', '-i', env.identity, '-o', `UserKnownHostsFile=${env.knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes',
		'core@127.0.0.1', '/opt/bin/deisctl', 'config', 'store', 'get', 'gateway/accessKey',
	], { encoding: 'utf8' });
	assert.equal(out, `${env.keys.accessKey}\n`);
});

test('a host key other than the one in known_hosts is refused', () => {
	const res = spawnSync('ssh', [
		'-p', '2222', '-i', env.identity, '-o', 'UserKnownHostsFile=/dev/null', '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes',
		'core@127.0.0.1', 'true',
	], { encoding: 'utf8' });
	assert.notEqual(res.status, 0);
	assert.match(res.stderr, /Host key verification failed/);
});

test('`deisctl config <c> get` of an unset key fails with an error on stderr', async () => {
	const res = await deisctl(commands.configGet('store', 'gateway/noSuchKey'));
	assert.notEqual(res.code, 0);
	assert.equal(res.out, '');
	assert.match(res.stderr, /Key not found \(\/deis\/store\/gateway\/noSuchKey\)/);
});

test('`deisctl list` is fleet\'s table: every platform unit on <id>.../127.0.0.1, data containers exited', async () => {
	const units = await list();
	assert.equal(units.size, 17);
	for (const [unit, row] of units) {
		assert.match(row.machine, /^[0-9a-f]{8}\.\.\.\/127\.0\.0\.1$/, unit);
		assert.equal(row.load, 'loaded', unit);
		assert.equal(row.active, 'active', unit);
		assert.equal(row.sub, unit.endsWith('-data.service') ? 'exited' : 'running', unit);
	}
	assert.ok(units.has('deis-database@1.service'));
	assert.ok(units.has('deis-controller@1.service'));
});

test('a unit moved to another machine shows there, and its container is no longer on this host', async () => {
	setUnitMachine('deis-database@1.service', '172.17.8.101');
	const units = await list();
	assert.match(units.get('deis-database@1.service')?.machine ?? '', /^[0-9a-f]{8}\.\.\.\/172\.17\.8\.101$/);
	const dump = await runOnHost(env, commands.pgDumpAll());
	assert.notEqual(dump.code, 0);
	assert.match(dump.stderr, /No such container: deis-database/);
});

test('on a fresh cluster: install platform, start the store units and router in order, scale the gateway', async () => {
	await makeFresh();
	assert.equal((await list()).size, 0, 'a fresh cluster has no units');
	const before = deisctlLog().length;

	const early = await deisctl(commands.start('store-monitor'));
	assert.notEqual(early.code, 0, 'starting before install fails');

	const steps = [commands.install('platform'), ...STORE_UNITS.map((u) => commands.start(u)), commands.start(ROUTER_UNIT)];
	for (const step of steps) {
		const res = await deisctl(step);
		assert.equal(res.code, 0, `${step.join(' ')}: ${res.stderr}`);
	}
	const units = await list();
	assert.equal(units.get('deis-store-gateway@1.service')?.active, 'active');
	assert.equal(units.get('deis-router@1.service')?.sub, 'running');
	assert.equal(units.get('deis-controller@1.service')?.active, 'inactive');
	assert.equal(units.get('deis-database@1.service')?.sub, 'dead');

	assert.equal((await deisctl(commands.scale('store-gateway', 3))).code, 0);
	assert.equal(readUnits().filter((u) => u.unit.startsWith('deis-store-gateway@') && u.active === 'active').length, 3);
	assert.equal((await deisctl(commands.scale('store-gateway', 1))).code, 0);
	assert.deepEqual(readUnits().filter((u) => u.unit.startsWith('deis-store-gateway@')).map((u) => u.unit), ['deis-store-gateway@1.service']);

	assert.equal((await deisctl(commands.start('platform'))).code, 0);
	assert.ok([...(await list()).values()].every((u) => u.active === 'active'));
	assert.equal((await deisctl(commands.stop('deis-store-gateway@1.service'))).code, 0);
	assert.equal((await list()).get('deis-store-gateway@1.service')?.sub, 'dead');

	assert.deepEqual(deisctlLog().slice(before), [
		'start store-monitor',
		'install platform',
		'start store-monitor', 'start store-daemon', 'start store-metadata', 'start store-gateway@1', 'start store-volume',
		'start router@1',
		'list',
		'scale store-gateway=3', 'scale store-gateway=1',
		'start platform', 'list',
		'stop deis-store-gateway@1.service', 'list',
	]);
});
