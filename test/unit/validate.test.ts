/**
 * The one validation every face shares (config/validate.ts), the flag and
 * command guesses, the per-day folder name and the resume command.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultBackupName } from '../../source/archive/layout.js';
import { levenshtein, suggestCommand, suggestFlag } from '../../source/cli/args.js';
import { resumeCommand } from '../../source/commands/run-flags.js';
import {
	isValidBucketName,
	parseBucketList,
	runOptionProblems,
	runOptionsFrom,
	validateBodySize,
	validateConcurrency,
	validateEndpoint,
	validateScaleGateways,
} from '../../source/validate.js';
import { UserError } from '../../source/errors.js';

test('body sizes: nginx syntax, between 8m and 5g', () => {
	for (const ok of ['100m', '100M', '8m', '1g', '5g', '8192k', '5368709120']) assert.equal(validateBodySize(ok), undefined, ok);
	for (const bad of ['lots', '', '100mb', '1.5g', '-1m', '100 m', '0', '1m', '7m', '6g', '99999999999999g']) assert.ok(validateBodySize(bad), bad);
	assert.match(validateBodySize('lots') ?? '', /nginx syntax/);
	assert.match(validateBodySize('1m') ?? '', /at least 8m/);
	assert.match(validateBodySize('10g') ?? '', /too large/);
});

test('endpoints: http only; https is refused with a sentence saying why and what to do', () => {
	assert.equal(validateEndpoint('http://deis-store.example.com'), undefined);
	assert.equal(validateEndpoint('http://127.0.0.1:7480'), undefined);
	assert.match(validateEndpoint('https://deis-store.example.com') ?? '', /https is not supported.*plain HTTP.*--tunnel/);
	assert.match(validateEndpoint('ftp://x') ?? '', /http:\/\//);
	assert.ok(validateEndpoint('http://x/path'));
	assert.ok(validateEndpoint('http://user:pw@x'));
	assert.ok(validateEndpoint('http://x/#frag'));
	assert.ok(validateEndpoint('not a url'));
});

test("bucket names: Ceph's relaxed S3 rules (3 to 255 characters), never a path", () => {
	for (const ok of ['db_wal', 'registry', 'My.Bucket-1', 'abc', 'a'.repeat(255)]) assert.ok(isValidBucketName(ok), ok);
	for (const bad of ['ab', '', 'a'.repeat(256), '-abc', '.abc', 'a..b', 'a/b', 'a b', 'abc;rm', '../x']) assert.ok(!isValidBucketName(bad), bad);
	assert.deepEqual(parseBucketList('db_wal, registry').buckets, ['db_wal', 'registry']);
	assert.match(parseBucketList('db_wal,,registry').problem ?? '', /no empty names/);
	assert.match(parseBucketList('db_wal,db_wal').problem ?? '', /twice/);
	assert.match(parseBucketList('db_wal,a/b').problem ?? '', /"a\/b" is not a valid bucket name/);
	assert.match(parseBucketList(Array.from({ length: 33 }, (_, i) => `bucket${i}`).join(',')).problem ?? '', /at most 32/);
});

test('gateway counts and concurrency are bounded whole numbers', () => {
	for (const ok of ['1', '3', '16']) assert.equal(validateScaleGateways(ok), undefined, ok);
	for (const bad of ['0', '17', '999', '2.5', 'three', '', '-1']) assert.ok(validateScaleGateways(bad), bad);
	for (const ok of ['1', '32', '256']) assert.equal(validateConcurrency(ok), undefined, ok);
	for (const bad of ['0', '257', 'many']) assert.ok(validateConcurrency(bad), bad);
});

test('runOptionsFrom: defaults, parsed values, and a usage error (exit 2) naming the first bad flag', () => {
	assert.deepEqual(runOptionsFrom({}), { concurrency: 32, scaleGateways: undefined, buckets: undefined, bodySize: '100m' });
	assert.deepEqual(runOptionsFrom({ concurrency: '8', scaleGateways: '3', buckets: 'a1b,c2d', bodySize: '1g' }), { concurrency: 8, scaleGateways: 3, buckets: ['a1b', 'c2d'], bodySize: '1g' });
	assert.throws(
		() => runOptionsFrom({ bodySize: 'lots' }),
		(error: unknown) => error instanceof UserError && error.exitCode === 2 && error.kind === 'usage' && /^--body-size: /.test(error.message),
	);
	assert.throws(() => runOptionsFrom({ scaleGateways: '999' }), /--scale-gateways: "999"/);
	// A form marks every field at once.
	assert.deepEqual(
		runOptionProblems({ concurrency: '0', scaleGateways: '999', buckets: 'a', bodySize: 'lots' }).map((p) => p.flag),
		['--concurrency', '--scale-gateways', '--buckets', '--body-size'],
	);
});

test('did you mean: close flags and commands are offered, far ones are not', () => {
	assert.equal(levenshtein('hots', 'host'), 1);
	assert.equal(levenshtein('kitten', 'sitting'), 3);
	assert.equal(suggestFlag('--hots'), '--host');
	assert.equal(suggestFlag('--dryrun'), '--dry-run');
	assert.equal(suggestFlag('--body-sise=1g'), '--body-size');
	assert.equal(suggestFlag('--scale-gateway'), '--scale-gateways');
	assert.equal(suggestFlag('--xyzzy'), undefined);
	assert.equal(suggestCommand('bakup'), 'backup');
	assert.equal(suggestCommand('verfy'), 'verify');
	assert.equal(suggestCommand('frobnicate'), undefined);
});

test('the default folder is one per cluster and UTC day, so a re-run finds it', () => {
	assert.equal(defaultBackupName('example.com', new Date('2026-11-25T23:59:59Z')), 'example.com-backup-2026-11-25');
	assert.equal(defaultBackupName('example.com', new Date('2026-11-25T00:00:01Z')), 'example.com-backup-2026-11-25');
	assert.equal(defaultBackupName('example.com', new Date('2026-11-26T00:00:00Z')), 'example.com-backup-2026-11-26');
});

test('the resume command repeats the operator words and pins the default folder', () => {
	assert.equal(resumeCommand('/srv/x', false, ['backup', '--host', 'h', '--domain', 'example.com']), 'deis-backup backup --host h --domain example.com --out /srv/x');
	assert.equal(resumeCommand('/srv/x', true, ['backup', '--out', '/srv/x']), 'deis-backup backup --out /srv/x');
	assert.equal(resumeCommand("/srv/it's here", false, ['backup']), "deis-backup backup --out '/srv/it'\\''s here'");
});
