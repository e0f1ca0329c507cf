import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findRunning, parseFleetTable } from '../../source/cluster/fleet-table.js';
import { quoteArg, quoteCommand } from '../../source/util/shell-quote.js';
import { parseBodySize } from '../../source/steps/platform.js';
import { validateEndpoint } from '../../source/validate.js';
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

test('endpoint overrides must be bare http URLs', () => {
	assert.equal(validateEndpoint('http://127.0.0.1:7480'), undefined);
	assert.ok(validateEndpoint('ftp://x'));
	assert.ok(validateEndpoint('http://x/path'));
	assert.ok(validateEndpoint('not a url'));
});
