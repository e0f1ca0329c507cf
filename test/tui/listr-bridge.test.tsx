import './interactive-terminal.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Listr, ListrLogger, ProcessOutput } from 'listr2';
import type { TaskView } from '../../source/plans/task-view.js';
import { bridgeListrOptions, ViewRenderer } from '../../source/ui/listr-bridge.js';
import { createProgressBus } from '../../source/ui/progress-bus.js';
import { sink } from './helpers.js';

function find(views: TaskView[], title: string): TaskView | undefined {
	for (const view of views) {
		if (view.title === title) return view;
		const inner = find(view.subtasks, title);
		if (inner) return inner;
	}
	return undefined;
}

/** Runs a Listr with the bridge, recording every snapshot and anything written to stdout. */
async function runWithBridge(build: (bus: ReturnType<typeof createProgressBus>) => ConstructorParameters<typeof Listr<object, typeof ViewRenderer, 'simple'>>[0]) {
	const bus = createProgressBus();
	const snapshots: TaskView[][] = [];
	let clock = 1000;
	const out = sink();
	const stdoutWrites: string[] = [];
	const realWrite = process.stdout.write.bind(process.stdout);
	process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
		stdoutWrites.push(String(chunk));
		return (realWrite as (...args: unknown[]) => boolean)(chunk, ...rest);
	}) as typeof process.stdout.write;
	let error: unknown;
	try {
		const list = new Listr<object, typeof ViewRenderer, 'simple'>(build(bus), {
			renderer: ViewRenderer,
			rendererOptions: { onViews: (views) => snapshots.push(views), bus, now: () => (clock += 10) },
			fallbackRenderer: 'simple',
			fallbackRendererOptions: { logger: new ListrLogger({ processOutput: new ProcessOutput(out as never, out as never) }) },
			registerSignalListeners: false,
			exitOnError: false,
		});
		await list.run();
	} catch (caught) {
		error = caught;
	} finally {
		process.stdout.write = realWrite;
	}
	return { snapshots, last: snapshots[snapshots.length - 1] ?? [], out, stdoutWrites, error };
}

describe('ViewRenderer (listr2 → TaskView)', () => {
	it('maps success, skip, failure, retry, subtasks, progress and warnings', async () => {
		let attempts = 0;
		const result = await runWithBridge((bus) => [
			{ title: 'Connect', task: (_ctx, task) => { task.output = 'ssh core@127.0.0.1\nconnected'; } },
			{ title: 'Hidden', enabled: false, task: () => {} },
			{ title: 'Dump database', skip: 'skipped with --skip-database', task: () => {} },
			{
				title: 'Download buckets',
				task: (_ctx, task) =>
					task.newListr([
						{
							title: 'registry',
							task: (_c, sub) => {
								bus.emit(sub.task.id, { stage: 'buckets', bytesDone: 500, bytesTotal: 1000, itemsDone: 1, itemsTotal: 2, item: 'registry/a' });
							},
						},
						{
							title: 'db_wal',
							rendererOptions: { id: 'db_wal', commands: ['s3cmd sync s3://db_wal .'] },
							task: () => bus.emit('db_wal', { stage: 'buckets', bytesDone: 7, itemsDone: 3 }),
						},
					]),
			},
			{
				title: 'Flaky',
				retry: 1,
				task: () => {
					attempts++;
					if (attempts === 1) throw new Error('first attempt failed');
				},
			},
			{ title: 'Tar volume', task: (_ctx, task) => bus.warn(task.task.id, 'tar: file changed as we read it') },
			{ title: 'Failing', task: () => { throw new Error('gateway said 503'); } },
		]);

		const { last } = result;
		assert.deepEqual(last.map((v) => [v.title, v.state]), [
			['Connect', 'done'],
			['Dump database', 'skipped'],
			['Download buckets', 'done'],
			['Flaky', 'done'],
			['Tar volume', 'warning'],
			['Failing', 'failed'],
		]);
		assert.equal(find(last, 'Connect')?.output, 'connected');
		assert.equal(find(last, 'Dump database')?.message, 'skipped with --skip-database');
		assert.equal(find(last, 'Failing')?.message, 'gateway said 503');
		assert.equal(find(last, 'Tar volume')?.message, 'tar: file changed as we read it');
		assert.equal(find(last, 'Flaky')?.message, undefined, 'a retried-then-passed task carries no error');

		const subtasks = find(last, 'Download buckets')?.subtasks ?? [];
		assert.deepEqual(subtasks.map((v) => [v.title, v.state]), [['registry', 'done'], ['db_wal', 'done']]);
		assert.equal(find(last, 'registry')?.progress?.bytesDone, 500);
		const dbWal = find(last, 'db_wal');
		assert.equal(dbWal?.id, 'db_wal');
		assert.deepEqual(dbWal?.commands, ['s3cmd sync s3://db_wal .']);
		assert.equal(dbWal?.progress?.itemsDone, 3);

		const retrying = result.snapshots.map((views) => find(views, 'Flaky')).find((v) => v?.state === 'retrying');
		assert.equal(retrying?.message, 'first attempt failed');
		assert.ok(result.snapshots.some((views) => find(views, 'Connect')?.state === 'running'), 'a running snapshot was published');
		assert.ok(result.snapshots.some((views) => find(views, 'Failing')?.state === 'pending'), 'pending tasks are listed before they start');

		const connect = find(last, 'Connect');
		assert.ok(connect?.startedAt !== undefined && connect.endedAt !== undefined && connect.endedAt > connect.startedAt);

		assert.equal(result.out.text(), '', 'listr2 logger output stays empty');
		assert.ok(!result.stdoutWrites.some((chunk) => chunk.includes('Download buckets')), 'nothing about the tasks reached stdout');
	});

	it('reports the failure of a subtask on the subtask and its parent, and stops publishing after end', async () => {
		let runBus: ReturnType<typeof createProgressBus> | undefined;
		const result = await runWithBridge((bus) => (runBus = bus, [
			{
				title: 'Upload',
				task: (_ctx, task) =>
					task.newListr([{ title: 'registry', task: () => { throw new Error('bucket registry: access denied'); } }], { exitOnError: true }),
			},
		]));
		const upload = find(result.last, 'Upload');
		assert.equal(upload?.state, 'failed');
		assert.equal(find(result.last, 'registry')?.state, 'failed');
		assert.equal(find(result.last, 'registry')?.message, 'bucket registry: access denied');
		// The bus of a finished run is not listened to any more.
		const count = result.snapshots.length;
		runBus?.emit(find(result.last, 'registry')?.id ?? '', { stage: 'buckets', bytesDone: 1 });
		assert.equal(result.snapshots.length, count);
	});

	it('turns a warn-level progress report into a warning through reporter()', async () => {
		const result = await runWithBridge((bus) => [
			{
				title: 'Tar volume',
				rendererOptions: { id: 'volume' },
				task: () => bus.reporter('volume')({ stage: 'volume', bytesDone: 10, level: 'warn', message: 'tar: logs changed' }),
			},
		]);
		const view = find(result.last, 'Tar volume');
		assert.equal(view?.state, 'warning');
		assert.equal(view?.message, 'tar: logs changed');
		assert.equal(view?.progress?.bytesDone, 10);
	});

	it('bridgeListrOptions wires a Listr to the bridge with listr2\'s SIGINT handler off', async () => {
		const bus = createProgressBus();
		const snapshots: TaskView[][] = [];
		const before = process.listenerCount('SIGINT');
		const list = new Listr<object, typeof ViewRenderer, typeof ViewRenderer>(
			[{ title: 'Read the gateway keys', task: (_ctx, task) => bus.emit(task.task.id, { stage: 'keys', bytesDone: 0, message: 'deisctl config store get gateway/accessKey' }) }],
			bridgeListrOptions((views) => snapshots.push(views), bus),
		);
		assert.equal(process.listenerCount('SIGINT'), before);
		await list.run();
		const last = snapshots[snapshots.length - 1];
		assert.equal(last?.[0]?.state, 'done');
		assert.equal(last?.[0]?.progress?.message, 'deisctl config store get gateway/accessKey');
	});
});
