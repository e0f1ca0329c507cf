/**
 * The run options every face builds: the plans' defaults, with only what a
 * face was given laid over them. A flag left out (undefined) keeps the
 * default instead of erasing it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backupDefaults, backupOptions, restoreDefaults, restoreOptions } from '../../source/plans/options.js';
import type { PlanAnswers } from '../../source/plans/types.js';
import { DEFAULT_BODY_SIZE, DEFAULT_CONCURRENCY } from '../../source/validate.js';

const answers: PlanAnswers = { kind: 'restore', connection: { host: 'h', port: 22, user: 'core', domain: 'd' }, folder: '/f', skipDatabase: true, skipVolume: false };
const basics = { answers, signal: new AbortController().signal, hooks: {} };

test('a restore given nothing runs with the plans’ defaults: the procedure’s 100m and a two-minute wait for the gateway', () => {
	const options = restoreOptions(basics);
	assert.equal(options.bodySize, DEFAULT_BODY_SIZE);
	assert.equal(options.gatewayTimeoutMs, 120_000);
	assert.equal(options.concurrency, DEFAULT_CONCURRENCY);
	assert.equal(options.dryRun, false);
	assert.deepEqual({ ...options, answers: undefined, signal: undefined, hooks: undefined }, { ...restoreDefaults, answers: undefined, signal: undefined, hooks: undefined });
});

test('what a face was given wins; what it left undefined keeps the default', () => {
	const options = restoreOptions(basics, { bodySize: undefined, resetBodySize: true, concurrency: 4, skipSettings: undefined });
	assert.equal(options.bodySize, DEFAULT_BODY_SIZE);
	assert.equal(options.resetBodySize, true);
	assert.equal(options.concurrency, 4);
	assert.equal(options.skipSettings, false);
	assert.equal(options.answers, answers);
});

test('a backup given nothing: no dry run, every bucket of the database and the registry, settings saved', () => {
	const options = backupOptions({ ...basics, answers: { ...answers, kind: 'backup' } }, { buckets: undefined, scaleGateways: 3 });
	assert.equal(options.concurrency, backupDefaults.concurrency);
	assert.equal(options.dryRun, false);
	assert.equal(options.skipSettings, false);
	assert.equal('buckets' in options, false, 'no bucket list means the plan picks the buckets');
	assert.equal(options.scaleGateways, 3);
});
