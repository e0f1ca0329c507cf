// withoutFetch: the global fetch is absent while the wizard's modules load, and exactly as it was afterwards, even after a failure.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withoutFetch } from '../../source/ui/without-fetch.js';

test('fetch is undefined during the load and its own descriptor is back afterwards, also when the load fails', async () => {
	const before = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
	assert.ok(before, 'Node 20 has a global fetch');
	const seen = await withoutFetch(async () => typeof (globalThis as { fetch?: unknown }).fetch);
	assert.equal(seen, 'undefined');
	assert.deepEqual(Object.getOwnPropertyDescriptor(globalThis, 'fetch'), before);
	await assert.rejects(
		withoutFetch(async () => {
			throw new Error('load failed');
		}),
		/load failed/,
	);
	assert.deepEqual(Object.getOwnPropertyDescriptor(globalThis, 'fetch'), before);
	assert.equal(typeof fetch, 'function');
});
