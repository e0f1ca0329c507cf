import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, mock, test } from 'node:test';
import { Journal, readJournal } from '../../source/archive/journal.js';

let dir: string;
before(async () => {
	dir = await mkdtemp(join(tmpdir(), 'deis-journal-'));
});
after(() => rm(dir, { recursive: true, force: true }));

const lines = async (path: string) => (await readFile(path, 'utf8')).split('\n').filter(Boolean).length;

test('a journal line is in the file as soon as append returns (what a restore relies on before it changes the cluster)', async () => {
	const path = join(dir, 'plain.jsonl');
	const journal = await Journal.open<{ n: number }>(path);
	journal.append({ n: 1 });
	assert.equal(await lines(path), 1);
	await journal.close();
	assert.deepEqual(await readJournal(path), [{ n: 1 }]);
});

test('a batched journal writes its lines together: once 64 KiB are waiting, 100 ms after the first, and on close', async (t) => {
	mock.timers.enable({ apis: ['setTimeout'] });
	t.after(() => mock.timers.reset());
	const path = join(dir, 'batched.jsonl');
	const journal = await Journal.open<{ n: number; pad: string }>(path, { batched: true });
	journal.append({ n: 0, pad: '' });
	assert.equal(await lines(path), 0, 'held back');
	mock.timers.tick(99);
	assert.equal(await lines(path), 0);
	mock.timers.tick(1);
	assert.equal(await lines(path), 1, 'written 100 ms later');
	const pad = 'x'.repeat(1000);
	for (let n = 1; n <= 70; n++) journal.append({ n, pad });
	assert.ok((await lines(path)) > 1, 'written once 64 KiB were waiting, without the timer');
	await journal.close();
	assert.deepEqual((await readJournal<{ n: number }>(path)).map((entry) => entry.n), Array.from({ length: 71 }, (_, n) => n), 'every line, in order, once');
});

test('a torn last line (a crash mid-write) is skipped, and its item redone', async () => {
	const path = join(dir, 'torn.jsonl');
	await writeFile(path, '{"n":1}\n{"n":2}\n{"n":');
	assert.deepEqual(await readJournal(path), [{ n: 1 }, { n: 2 }]);
});
