import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AdaptiveGate } from '../../source/cluster/adaptive-gate.js';
import { limiter } from '../../source/util/limit.js';

/** A promise and its resolver, to hold work open until the test lets it finish. */
function held(): { promise: Promise<void>; release: () => void } {
	let release = () => {};
	const promise = new Promise<void>((resolve) => {
		release = resolve;
	});
	return { promise, release };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

test('the adaptive gate halves its limit when the gateway pushes back, and grows it again with successes', async (t) => {
	// A frozen clock: "at once" must not depend on how fast this machine runs the test.
	t.mock.timers.enable({ apis: ['Date'], now: 1_000_000 });
	const gate = new AdaptiveGate(8);
	assert.equal(gate.allowed, 8);
	const release = await gate.acquire();
	release('pushback');
	assert.equal(gate.allowed, 4);
	// Answers to requests sent before the cut arrive together: they do not cut again at once.
	const again = await gate.acquire();
	again('pushback');
	assert.equal(gate.allowed, 4);
	// One success per allowed slot adds one slot, up to the configured concurrency and no further.
	for (let i = 0; i < 4; i++) (await gate.acquire())('ok');
	assert.equal(gate.allowed, 5);
	for (let i = 0; i < 200; i++) (await gate.acquire())('ok');
	assert.equal(gate.allowed, 8);
});

test('the adaptive gate never lets more than its limit through, and lets waiters in as slots free', async () => {
	const gate = new AdaptiveGate(2);
	const first = await gate.acquire();
	const second = await gate.acquire();
	const third: { release?: (outcome: 'ok') => void } = {};
	void gate.acquire().then((release) => {
		third.release = release;
	});
	await turn();
	const waiting = () => third.release === undefined;
	assert.ok(waiting(), 'a third request waits while two are in flight');
	first('ok');
	await turn();
	assert.ok(!waiting(), 'a freed slot lets the waiter in');
	second('ok');
	third.release?.('ok');
});

test('a released slot frees one place, however often release is called', async () => {
	const gate = new AdaptiveGate(2);
	const first = await gate.acquire();
	await gate.acquire();
	first('ok');
	first('ok');
	await gate.acquire();
	let fourthIn = false;
	void gate.acquire().then(() => {
		fourthIn = true;
	});
	await turn();
	assert.equal(fourthIn, false, 'a second release of the same slot must not let a third request in beside two');
});

test('a released slot counts one success, however often release is called', async (t) => {
	t.mock.timers.enable({ apis: ['Date'], now: 1_000_000 });
	const gate = new AdaptiveGate(4);
	(await gate.acquire())('pushback');
	assert.equal(gate.allowed, 2);
	// At 2 allowed, two successes add a slot: one slot released twice is one success.
	const once = await gate.acquire();
	once('ok');
	once('ok');
	assert.equal(gate.allowed, 2);
	(await gate.acquire())('ok');
	assert.equal(gate.allowed, 3);
});

test('a released slot counts one pushback, however often release is called', async (t) => {
	t.mock.timers.enable({ apis: ['Date'], now: 1_000_000 });
	const gate = new AdaptiveGate(8);
	const release = await gate.acquire();
	release('pushback');
	assert.equal(gate.allowed, 4);
	// Past the window in which answers to earlier requests are taken as one: a real second pushback would cut again.
	t.mock.timers.tick(1000);
	release('pushback');
	assert.equal(gate.allowed, 4);
	(await gate.acquire())('pushback');
	assert.equal(gate.allowed, 2, 'a new pushback after the window does cut');
});

test('the SSH session limiter runs at most its size at once, in order', async () => {
	const limit = limiter(2);
	let running = 0;
	let most = 0;
	const order: number[] = [];
	const gates = Array.from({ length: 5 }, held);
	const runs = gates.map((gate, index) =>
		limit(async () => {
			running++;
			most = Math.max(most, running);
			order.push(index);
			await gate.promise;
			running--;
		}),
	);
	await turn();
	assert.deepEqual(order, [0, 1]);
	for (const gate of gates) gate.release();
	await Promise.all(runs);
	assert.equal(most, 2);
	assert.deepEqual(order, [0, 1, 2, 3, 4]);
});

test('a failing call frees its slot', async () => {
	const limit = limiter(1);
	await assert.rejects(limit(() => Promise.reject(new Error('boom'))), /boom/);
	assert.equal(await limit(async () => 'next'), 'next');
});
