import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainDiskError } from '../../source/archive/disk-errors.js';

function full(neededBytes: number): string {
	const error = Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
	return explainDiskError(error, '/backups/x', neededBytes)?.message ?? '';
}

test('a full disk says how much room to make, in the decimal units the progress line uses', () => {
	assert.match(full(13_500_000), /about 13\.5 MB more is needed/);
	assert.match(full(2_500_000_000), /about 2\.5 GB more is needed/);
	assert.match(full(20_000), /about 0\.1 MB more is needed/);
	assert.doesNotMatch(full(0), /more is needed/);
});
