/**
 * The store-volume and database steps' judgement of what came over the wire,
 * with a scripted host: tar's exit codes, dropped sessions, truncated streams.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { RemoteHost, StreamOptions, StreamResult } from '../../source/cluster/ssh.js';
import { dumpDatabase } from '../../source/steps/database.js';
import { backupVolume } from '../../source/steps/volume.js';

function scriptedHost(output: Buffer, result: StreamResult): RemoteHost {
	return {
		label: 'core@test:22',
		run: async () => ({ code: 0, stdout: '', stderr: '' }),
		async stream(_argv: readonly string[], options: StreamOptions) {
			await new Promise<void>((resolve) => options.stdout?.write(output, () => resolve()));
			return result;
		},
		openTunnel: () => Promise.reject(new Error('unused')),
		jumpTo: () => Promise.reject(new Error('unused')),
		close: async () => {},
	};
}

async function realTarball(): Promise<Buffer> {
	const dir = await mkdtemp(join(tmpdir(), 'vol-src-'));
	execFileSync('sh', ['-c', `mkdir -p ${dir}/logs && seq 1 5000 > ${dir}/logs/a.log`]);
	return execFileSync('tar', ['-C', dir, '-czf', '-', '.']);
}

test('tar exit 1 with "file changed as we read it" is a warning; the archive is kept', async () => {
	const folder = await mkdtemp(join(tmpdir(), 'vol-'));
	const tarball = await realTarball();
	const saved = await backupVolume(scriptedHost(tarball, { code: 1, stderr: 'tar: ./logs/a.log: file changed as we read it\n' }), join(folder, 'store.tar.gz'), () => {});
	assert.equal(saved.warnings.length, 1);
	assert.deepEqual(await readFile(join(folder, 'store.tar.gz')), tarball);
});

test('other tar failures, dropped sessions and cut-short archives leave no final file', async () => {
	const tarball = await realTarball();
	const cases: Array<[string, Buffer, StreamResult, RegExp]> = [
		['tar error', tarball, { code: 2, stderr: 'tar: /var/lib/deis/store: Cannot open: No such file or directory\n' }, /tar on core@test:22 failed \(exit 2\)/],
		['exit 1 without the live-file warning', tarball, { code: 1, stderr: 'tar: something else\n' }, /tar on core@test:22 failed/],
		['session dropped', tarball, { code: null, stderr: '' }, /SSH session .* ended before tar finished/],
		['truncated stream', tarball.subarray(0, tarball.length - 40), { code: 0, stderr: '' }, /arrived incomplete/],
		['gzip of a cut tar', gzipSync(Buffer.alloc(1024, 1)), { code: 0, stderr: '' }, /arrived incomplete/],
	];
	for (const [name, output, result, message] of cases) {
		const folder = await mkdtemp(join(tmpdir(), 'vol-'));
		await assert.rejects(backupVolume(scriptedHost(output, result), join(folder, 'store.tar.gz'), () => {}), message, name);
		assert.deepEqual(await readdir(folder), [], `${name}: nothing left behind`);
	}
});

test('a pg_dumpall that fails, is empty, or lacks its closing line is never saved', async () => {
	const complete = Buffer.from('--\n-- PostgreSQL database cluster dump\n--\nCREATE TABLE api_app ();\n--\n-- PostgreSQL database cluster dump complete\n--\n\n');
	const cases: Array<[string, Buffer, StreamResult, RegExp]> = [
		['non-zero exit', complete, { code: 1, stderr: 'pg_dumpall: error: connection failed\n' }, /pg_dumpall failed .*exit 1.*connection failed/],
		['empty', Buffer.alloc(0), { code: 0, stderr: '' }, /empty or cut short/],
		['cut short', complete.subarray(0, 60), { code: 0, stderr: '' }, /empty or cut short/],
	];
	for (const [name, output, result, message] of cases) {
		const folder = await mkdtemp(join(tmpdir(), 'db-'));
		await assert.rejects(dumpDatabase(scriptedHost(output, result), join(folder, 'dump_all.sql'), () => {}), message, name);
		assert.deepEqual(await readdir(folder), [], `${name}: nothing left behind`);
	}
	const folder = await mkdtemp(join(tmpdir(), 'db-'));
	const saved = await dumpDatabase(scriptedHost(complete, { code: 0, stderr: '' }), join(folder, 'dump_all.sql'), () => {});
	assert.equal(saved.size, complete.length);
	assert.deepEqual(await readdir(folder), ['dump_all.sql']);
});
