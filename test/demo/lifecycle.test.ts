/**
 * Start-up and shut-down: nothing left behind, and the same cluster from
 * tsc's JavaScript output (what `deis-backup demo` runs) as from the sources.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import type { ClientChannel } from 'ssh2';
import { commands } from '../../source/cluster/commands.js';
import { quoteCommand } from '../../source/util/shell-quote.js';
import type { ConnectionSettings } from '../../source/settings.js';
import { startDemoCluster } from '../../source/demo/cluster.js';
import { connect, run, s3For } from './support.js';
import { installed } from '../support/installed.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));

/** Resolves with the connection error code (ECONNREFUSED once nothing listens). */
function probe(port: number): Promise<string> {
	return new Promise((resolve) => {
		const s = tcpConnect({ host: '127.0.0.1', port });
		s.once('connect', () => {
			s.destroy();
			resolve('connected');
		});
		s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
	});
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

const portOf = (url: string) => Number(new URL(url).port);

describe('demo cluster lifecycle', () => {
	let root: string;
	before(() => {
		root = mkdtempSync(join(tmpdir(), 'deis-demo-life-'));
	});
	after(() => rmSync(root, { recursive: true, force: true }));

	it('keeps everything under its root', async () => {
		const c = await startDemoCluster({ root, mode: 'source', name: 'inside' });
		try {
			for (const p of [c.storeDir, c.gatewayDir, c.connection.identity!, c.connection.knownHosts!]) assert.ok(p.startsWith(join(root, 'inside')), p);
			assert.equal(c.connection.host, '127.0.0.1');
			assert.equal(c.connection.user, 'core');
			assert.equal(c.connection.domain, 'demo.deis');
			assert.match(c.connection.storeEndpoint!, /^http:\/\/127\.0\.0\.1:\d+$/);
		} finally {
			await c.stop();
		}
	});

	it('stops every process and port, and stop() can be called again', async () => {
		const [a, b] = await Promise.all([startDemoCluster({ root, mode: 'source', name: 'a' }), startDemoCluster({ root, mode: 'fresh', name: 'b' })]);
		const ports = [a.connection.port, portOf(a.connection.storeEndpoint!), b.connection.port, portOf(b.connection.storeEndpoint!)];
		const pids = [...a.pids, ...b.pids];
		assert.ok(pids.length > 0);
		for (const p of ports) assert.equal(await probe(p), 'connected', `port ${p} before stop`);
		for (const pid of pids) assert.ok(alive(pid));

		// a session in the middle of a tar when the cluster goes away
		const ssh = await connect(a.connection);
		const channel = await new Promise<ClientChannel>((resolve, reject) =>
			ssh.connection!.exec(quoteCommand(commands.tarStore()), (e, ch) => (e ? reject(e) : resolve(ch))),
		);
		await once(channel, 'data');
		const closed = once(channel, 'close');
		await a.stop();
		await closed;
		// one cluster gone: the other still answers on its gateway
		assert.equal(await probe(portOf(b.connection.storeEndpoint!)), 'connected');
		await Promise.all([b.stop(), a.stop(), b.stop()]);
		ssh.dispose();

		for (const p of ports) assert.equal(await probe(p), 'ECONNREFUSED', `port ${p} after stop`);
		for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid}`);
	});

	describe('from compiled JavaScript', () => {
		let out: string;
		before(() => {
			out = join(root, 'build');
			mkdirSync(out, { recursive: true });
			// bare imports (ssh2, s3rver) resolve from the build folder's node_modules
			symlinkSync(join(repo, 'node_modules'), join(out, 'node_modules'));
			writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
			const tsc = spawnSync(
				process.execPath,
				[
					join(repo, 'node_modules/typescript/bin/tsc'),
					'--ignoreConfig',
					'source/demo/cluster.ts',
					// forked by path, never imported: tsc must be told about it (the real build includes all of source/)
					'source/demo/gateway/child.ts',
					...['--outDir', join(out, 'dist'), '--rootDir', 'source', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022'],
					...['--strict', '--skipLibCheck', '--types', 'node', '--verbatimModuleSyntax', '--noUncheckedIndexedAccess'],
				],
				{ cwd: repo, encoding: 'utf8' },
			);
			assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
			assert.ok(existsSync(join(out, 'dist/demo/gateway/child.js')));
		});

		it('starts without tsx and answers SSH and S3', async () => {
			const driver = join(out, 'driver.mjs');
			writeFileSync(
				driver,
				`import { startDemoCluster } from './dist/demo/cluster.js';
const c = await startDemoCluster({ root: ${JSON.stringify(root)}, mode: 'source', name: 'compiled' });
console.log(JSON.stringify({ connection: c.connection, keys: c.gatewayKeys, pids: c.pids }));
process.stdin.resume();
process.stdin.on('end', async () => { await c.stop(); console.log('stopped'); });
`,
			);
			const child = spawn(process.execPath, [driver], { cwd: out, stdio: ['pipe', 'pipe', 'inherit'] });
			const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
			const first = await lines.next();
			const info = JSON.parse(String(first.value)) as { connection: ConnectionSettings; keys: { accessKey: string; secretKey: string }; pids: number[] };

			const ssh = await connect(info.connection);
			const list = await run(ssh, installed(commands.list()));
			ssh.dispose();
			assert.equal(list.code, 0);
			assert.match(list.stdout.toString(), /deis-store-gateway@1\.service/);
			const s3 = s3For(info.connection, info.keys);
			const buckets = await s3.send(new ListBucketsCommand({}));
			s3.destroy();
			assert.deepEqual(buckets.Buckets?.map((b) => b.Name).sort(), ['db_wal', 'registry']);

			child.stdin!.end();
			assert.equal((await lines.next()).value, 'stopped');
			const [code] = (await once(child, 'exit')) as [number];
			assert.equal(code, 0, 'the driver exits by itself once the cluster is stopped');
			for (const pid of info.pids) assert.equal(alive(pid), false);
		});
	});
});
