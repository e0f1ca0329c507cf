import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { hashFile } from '../../source/util/hash-file.js';
import { tappedFile } from '../../source/util/tap.js';

test('a tapped file body sees every byte of its range, and a read error reaches whoever reads the body', async () => {
	const folder = await mkdtemp(join(tmpdir(), 'tap-'));
	const path = join(folder, 'object');
	await writeFile(path, Buffer.from('0123456789'));
	let seen = 0;
	const chunks: Buffer[] = [];
	for await (const chunk of tappedFile(path, { start: 2, end: 5 }, (data) => (seen += data.length))) chunks.push(chunk as Buffer);
	assert.equal(Buffer.concat(chunks).toString(), '2345');
	assert.equal(seen, 4);
	// A vanished file must fail the upload reading it, not leave it waiting: uploadObject names ENOENT.
	await assert.rejects(
		(async () => {
			for await (const _ of tappedFile(join(folder, 'gone'), {}, () => undefined));
		})(),
		{ code: 'ENOENT' },
	);
	assert.equal(await hashFile(path, 'md5'), '781e5e245d69b566979b86e28d23f2c7');
	assert.equal(await hashFile(path, 'sha256'), '84d89877f0d4041efb6bf91a16f0248f2fd573e6af05c19f96bedb9f882f7882');
});
