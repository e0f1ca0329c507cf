import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bySizeClass, IN_MEMORY_BYTES, partSizeFor, partSizeUnder, sizeClass, SPLIT_BYTES } from '../../source/steps/gateway/size-class.js';

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

test('objects in parts go in even parts of at most SPLIT_BYTES, whole MiB, never under S3\'s minimum', () => {
	const MiB = 1024 ** 2;
	const partSize = 64 * MiB;
	// Under the router's limit an object still goes whole.
	assert.equal(sizeClass(partSize, partSize), 'streamed');
	assert.equal(partSizeFor(1024 * MiB, partSize), SPLIT_BYTES);
	assert.equal(partSizeFor(60e6 + partSize, partSize), 16 * MiB);
	assert.equal(partSizeFor(100e6, partSize), 16 * MiB);
	assert.equal(partSizeFor(70 * MiB, partSize), 14 * MiB, 'five even parts rather than four full ones and a sliver');
	// Under a small limit the part size stays the limit's, with the same number of parts.
	assert.equal(Math.ceil((13 * MiB) / partSizeFor(13 * MiB, 6 * MiB)), Math.ceil((13 * MiB) / (6 * MiB)));
	assert.ok(partSizeFor(13 * MiB, 6 * MiB) <= 6 * MiB);
	// Never below S3's 5 MiB minimum for all parts but the last.
	assert.equal(partSizeFor(5 * MiB + 1, 5 * MiB), 5 * MiB);
});

test('the part size under a router limit: 90 % of it, whole PUTs up to 64 MiB, never under 5 MiB', () => {
	const MiB = 1024 ** 2;
	// The restore's default raise (100m): objects up to 64 MiB go whole, in one PUT.
	assert.equal(partSizeUnder(100 * MiB), 64 * MiB);
	assert.equal(sizeClass(60 * MiB, partSizeUnder(100 * MiB)), 'streamed');
	assert.equal(partSizeUnder(12 * MiB), Math.floor(12 * MiB * 0.9));
	assert.ok(partSizeUnder(12 * MiB) < 12 * MiB, 'a request body stays under the limit');
	assert.equal(partSizeUnder(2048 * MiB), 64 * MiB);
	// Deis' default 1m is below S3's part minimum: the restore raises it before uploading.
	assert.equal(partSizeUnder(1 * MiB), 5 * MiB);
});
