import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bySizeClass, IN_MEMORY_BYTES, sizeClass } from '../../source/steps/gateway/size-class.js';

test('each object has one size class, the same for the pools and the transfer', () => {
	const partSize = 5 * 1024 ** 2;
	assert.equal(sizeClass(IN_MEMORY_BYTES, partSize), 'small');
	assert.equal(sizeClass(IN_MEMORY_BYTES + 1, partSize), 'streamed');
	assert.equal(sizeClass(partSize, partSize), 'streamed');
	assert.equal(sizeClass(partSize + 1, partSize), 'parts');
	// Downloading has no parts: anything above memory size streams.
	assert.equal(sizeClass(10 * partSize), 'streamed');
	const objects = [0, IN_MEMORY_BYTES + 1, partSize + 1, 5, partSize].map((size, index) => ({ size, index }));
	const classes = bySizeClass(objects, partSize);
	assert.deepEqual(
		Object.fromEntries(Object.entries(classes).map(([name, members]) => [name, members.map((object) => object.index)])),
		{ small: [0, 3], streamed: [1, 4], parts: [2] },
		'every object in exactly one class, listing order kept',
	);
});
