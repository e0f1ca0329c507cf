import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findRunning, parseFleetTable } from '../../source/cluster/fleet-table.js';
import { quoteArg, quoteCommand } from '../../source/cluster/shell-quote.js';
import { parseBodySize } from '../../source/steps/platform.js';
import { checkDomain, checkEndpoint, checkHost, checkPort, checkUser } from '../../source/config/validate.js';
import { spawnSync } from 'node:child_process';

test('fleet table rows give the unit, the machine id and its IP', () => {
	const rows = parseFleetTable(`UNIT                        MACHINE                     LOAD    ACTIVE  SUB
deis-controller@1.service   dea53588.../172.17.8.100    loaded  active  running
deis-database@1.service     0b1c2d3e.../172.17.8.101    loaded  active  running
deis-store-volume.service   dea53588.../172.17.8.100    loaded  inactive  dead
`);
	assert.equal(rows.length, 3);
	assert.deepEqual(findRunning(rows, 'deis-database'), { unit: 'deis-database@1.service', machineId: '0b1c2d3e', ip: '172.17.8.101', load: 'loaded', active: 'active', sub: 'running' });
	assert.equal(findRunning(rows, 'deis-store-volume'), undefined);
});

test('quoted commands reach a POSIX shell as the same words', () => {
	const argv = ['printf', '%s\\n', "it's", '$(touch /tmp/pwned)', 'a b', '`id`', ';', '', 'ünï'];
	const result = spawnSync('sh', ['-c', quoteCommand(argv)], { encoding: 'utf8' });
	assert.equal(result.stdout, ["it's", '$(touch /tmp/pwned)', 'a b', '`id`', ';', '', 'ünï'].map((w) => `${w}\n`).join(''));
	assert.equal(quoteArg('deisctl'), 'deisctl');
	assert.equal(quoteArg('bodySize=100m'), 'bodySize=100m');
});

test('nginx body sizes', () => {
	assert.equal(parseBodySize('1m'), 1024 ** 2);
	assert.equal(parseBodySize('100M'), 100 * 1024 ** 2);
	assert.equal(parseBodySize('512k'), 512 * 1024);
	assert.equal(parseBodySize('2048'), 2048);
	assert.equal(parseBodySize('lots'), undefined);
});

test('input checks accept real values and explain bad ones', () => {
	for (const ok of ['127.0.0.1', 'deis-1.example.com', '::1']) assert.equal(checkHost(ok), undefined, ok);
	for (const bad of ['', 'host;rm -rf /', 'a b', '-oProxyCommand=x', '$(id)']) assert.match(checkHost(bad) ?? '', /host|Enter/, bad);
	assert.equal(checkPort('2222'), undefined);
	for (const bad of ['0', '65536', '22a', '-1']) assert.ok(checkPort(bad));
	assert.equal(checkUser('core'), undefined);
	assert.ok(checkUser('root; id'));
	assert.equal(checkDomain('local3.deisapp.com'), undefined);
	for (const bad of ['nodots', 'bad_domain..com', 'a b.com']) assert.ok(checkDomain(bad), bad);
	assert.equal(checkEndpoint('http://127.0.0.1:7480'), undefined);
	assert.ok(checkEndpoint('ftp://x'));
	assert.ok(checkEndpoint('http://x/path'));
});
