import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { limiter } from '../../source/util/limit.js';

test('stream slots: never more than the limit at once, every waiter runs, a failure frees its slot', async () => {
	const slots = limiter(3);
	let active = 0;
	let peak = 0;
	let ran = 0;
	const work = (fail: boolean) =>
		slots(async () => {
			active++;
			peak = Math.max(peak, active);
			for (let i = 0; i < 3; i++) await tick();
			active--;
			ran++;
			if (fail) throw new Error('part failed');
		});
	const results = await Promise.allSettled(Array.from({ length: 20 }, (_, index) => work(index % 5 === 0)));
	assert.equal(peak, 3);
	assert.equal(ran, 20);
	assert.equal(results.filter((result) => result.status === 'rejected').length, 4);
	// Freed slots are reusable at once.
	assert.equal(await slots(async () => 'ok'), 'ok');
});
