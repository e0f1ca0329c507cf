/**
 * runStage, the one way both plans run and record a stage: a failure is
 * recorded under the stage's name and still stops the run; a success is
 * recorded only once the work has finished.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StageId } from '../../source/progress.js';
import { runStage } from '../../source/plans/stage.js';

test('a stage that finishes is recorded as done, after its work, and hands its value on', async () => {
	const log: string[] = [];
	const value = await runStage('buckets', { done: (id) => log.push(`done ${id}`), failed: (id) => log.push(`failed ${id}`) }, async () => {
		log.push('work');
		return 42;
	});
	assert.equal(value, 42);
	assert.deepEqual(log, ['work', 'done buckets']);
});

test('a stage that throws is recorded as failed with its error, not as done, and the error goes on', async () => {
	const failed: Array<[StageId, unknown]> = [];
	let done = 0;
	const boom = new Error('gateway refused');
	await assert.rejects(
		runStage('keys', { done: () => done++, failed: (id, error) => failed.push([id, error]) }, async () => {
			throw boom;
		}),
		boom,
	);
	assert.deepEqual(failed, [['keys', boom]]);
	assert.equal(done, 0);
});

test('without a done record only a failure is noted (stages that run every time)', async () => {
	const failed: StageId[] = [];
	assert.equal(await runStage('connect', { failed: (id) => failed.push(id) }, async () => 'ok'), 'ok');
	assert.deepEqual(failed, []);
});
