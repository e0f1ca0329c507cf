/**
 * The demo host answers every command of source/cluster/commands.ts over real
 * SSH (node-ssh, host key checked against the cluster's known_hosts).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { NodeSSH } from 'node-ssh';
import { commands, RESAVE_SCRIPT } from '../../source/cluster/commands.js';
import { ROUTER_UNIT, STORE_UNITS } from '../../source/deis.js';
import { startDemoCluster } from '../../source/demo/cluster.js';
import { randomBytesFor } from '../../source/demo/random.js';
import type { DemoCluster } from '../../source/demo/cluster.js';
import { connect, run } from './support.js';
import { installed } from '../support/installed.js';

const CONTROLLER_PREFIXES = ['/deis/builder/users', '/deis/services', '/deis/domains', '/deis/certs', '/deis/config'];

/** The etcd keys (and values) the controller publishes. */
function published(c: DemoCluster): Record<string, string | null> {
	const out: Record<string, string | null> = {};
	for (const p of CONTROLLER_PREFIXES) {
		if (!c.etcd.has(p)) continue;
		for (const k of c.etcd.ls(p, true)) out[k] = c.etcd.isDir(k) ? null : c.etcd.get(k)!;
	}
	return out;
}

/** relative path → size, or `-> target` for symlinks; directories omitted. */
function tree(dir: string): Map<string, string> {
	const out = new Map<string, string>();
	const walk = (d: string) => {
		for (const name of readdirSync(d)) {
			const abs = join(d, name);
			const st = lstatSync(abs);
			if (st.isDirectory()) walk(abs);
			else out.set(relative(dir, abs), st.isSymbolicLink() ? `-> ${readlinkSync(abs)}` : `${st.size} ${st.mode.toString(8)}`);
		}
	};
	walk(dir);
	return out;
}

describe('demo host over SSH', () => {
	let root: string;
	let source: DemoCluster;
	let fresh: DemoCluster;
	let older: DemoCluster;
	let src: NodeSSH;
	let dst: NodeSSH;

	before(async () => {
		root = mkdtempSync(join(tmpdir(), 'deis-demo-host-'));
		[source, fresh, older] = await Promise.all([
			startDemoCluster({ root, mode: 'source' }),
			startDemoCluster({ root, mode: 'fresh' }),
			startDemoCluster({ root, mode: 'fresh', name: 'older', controllerRelease: 'older' }),
		]);
		[src, dst] = await Promise.all([connect(source.connection), connect(fresh.connection)]);
	});

	after(async () => {
		src?.dispose();
		dst?.dispose();
		await Promise.all([source?.stop(), fresh?.stop(), older?.stop()]);
		rmSync(root, { recursive: true, force: true });
	});

	describe('login', () => {
		it('refuses a host key that known_hosts does not hold', async () => {
			// the fresh cluster's known_hosts records a different key for a different port
			await assert.rejects(connect(source.connection, { knownHostsFrom: fresh.connection }));
		});
		it('refuses another key and another user', async () => {
			await assert.rejects(connect(source.connection, { privateKeyPath: fresh.connection.identity! }), /authentication/i);
			await assert.rejects(connect(source.connection, { username: 'root' }), /authentication/i);
		});
		it('records the host key as [127.0.0.1]:PORT ssh-ed25519', () => {
			const line = readFileSync(source.connection.knownHosts!, 'utf8').trim();
			assert.match(line, new RegExp(`^\\[127\\.0\\.0\\.1\\]:${source.connection.port} ssh-ed25519 AAAA[A-Za-z0-9+/=]+$`));
		});
	});

	describe('shell discipline', () => {
		it('refuses unquoted shell syntax with 127', async () => {
			for (const bad of ['deisctl list; id', 'deisctl config store get $KEY', 'sudo tar -C /var/lib/deis/store -cpzf - . > /tmp/x']) {
				const r = await run(src, bad);
				assert.equal(r.code, 127, bad);
				assert.match(r.stderr, /demo host: unsupported shell syntax/);
			}
		});
		it('says command not found for unknown commands', async () => {
			const r = await run(src, ['s3cmd', 'sync', 's3://db_wal', '.']);
			assert.equal(r.code, 127);
			assert.match(r.stderr, /s3cmd: command not found/);
		});
		it('logs commands in order, with their exit status', async () => {
			const before = source.log.length;
			await run(src, commands.hostAddresses());
			await run(src, 'nope');
			assert.deepEqual(
				source.log.slice(before).map((e) => [e.argv, e.exit]),
				[
					[['hostname', '-I'], 0],
					[['nope'], 127],
				],
			);
		});
	});

	describe('deisctl', () => {
		it('reads the gateway keys on the source cluster', async () => {
			const a = await run(src, installed(commands.configGet('store', 'gateway/accessKey')));
			const s = await run(src, installed(commands.configGet('store', 'gateway/secretKey')));
			assert.deepEqual([a.code, s.code], [0, 0]);
			assert.equal(a.stdout.toString(), `${source.gatewayKeys.accessKey}\n`);
			assert.equal(s.stdout.toString(), `${source.gatewayKeys.secretKey}\n`);
		});
		it('reads several keys in one command, one value a line, and prints nothing when one is unset', async () => {
			const both = await run(src, installed(commands.configGet('store', 'gateway/accessKey', 'gateway/secretKey')));
			assert.equal(both.code, 0);
			assert.equal(both.stdout.toString(), `${source.gatewayKeys.accessKey}\n${source.gatewayKeys.secretKey}\n`);
			const missing = await run(src, installed(commands.configGet('store', 'gateway/accessKey', 'gateway/noSuchKey')));
			assert.equal(missing.code, 1);
			assert.equal(missing.stdout.toString(), '');
			assert.match(missing.stderr, /Key not found \(\/deis\/store\/gateway\/noSuchKey\)/);
		});
		it('fails on an unset key', async () => {
			const r = await run(src, installed(commands.configGet('router', 'bodySize')));
			assert.equal(r.code, 1);
			assert.match(r.stderr, /Key not found \(\/deis\/router\/bodySize\)/);
			assert.equal(r.stdout.length, 0);
		});
		it('sets config values in etcd', async () => {
			const r = await run(dst, installed(commands.configSet('router', 'bodySize', '100m')));
			assert.equal(r.code, 0);
			assert.equal(fresh.etcd.get('/deis/router/bodySize'), '100m');
			assert.equal((await run(dst, installed(commands.configGet('router', 'bodySize')))).stdout.toString(), '100m\n');
		});
		it("lists the source cluster's units as fleet does", async () => {
			const r = await run(src, installed(commands.list()));
			assert.equal(r.code, 0);
			const lines = r.stdout.toString().trimEnd().split('\n');
			assert.deepEqual(lines[0]!.split(/\s+/), ['UNIT', 'MACHINE', 'LOAD', 'ACTIVE', 'SUB']);
			const rows = lines.slice(1).map((l) => l.split(/\s+/));
			assert.equal(rows.length, source.units().length);
			assert.ok(rows.length >= 13);
			for (const [unit, machine, load, active, sub] of rows) {
				assert.match(unit!, /^deis-[a-z-]+(@\d+)?\.service$/);
				assert.match(machine!, /^[0-9a-f]{8}\.\.\.\/127\.0\.0\.1$/);
				assert.deepEqual([load, active, sub], ['loaded', 'active', 'running']);
			}
			assert.ok(rows.some(([u]) => u === 'deis-store-gateway@1.service'));
		});
		it('runs the restore start-up on a fresh cluster in the order given', async () => {
			const r0 = await run(dst, installed(commands.list()));
			assert.equal(r0.stdout.toString().trim().split('\n').length, 1, 'nothing installed yet');
			assert.equal((await run(dst, installed(commands.start('store-monitor')))).code, 1, 'cannot start what is not installed');
			assert.equal((await run(dst, installed(commands.configGet('store', 'gateway/accessKey')))).code, 1, 'no keys before the gateway starts');

			const from = fresh.log.length;
			const steps = [installed(commands.install('platform')), ...STORE_UNITS.map((u) => installed(commands.start(u))), installed(commands.start(ROUTER_UNIT))];
			for (const argv of steps) assert.equal((await run(dst, argv)).code, 0, argv.join(' '));
			assert.deepEqual(
				fresh.log.slice(from).map((e) => e.argv),
				steps.map((s) => [...s]),
			);
			const state = new Map(fresh.units().map((u) => [u.unit, u.active]));
			for (const u of [...STORE_UNITS, ROUTER_UNIT]) assert.equal(state.get(`deis-${u}.service`), 'active', u);
			assert.equal(state.get('deis-controller.service'), 'inactive');
			assert.equal(state.get('deis-database.service'), 'inactive');

			const key = await run(dst, installed(commands.configGet('store', 'gateway/accessKey')));
			assert.equal(key.stdout.toString(), `${fresh.gatewayKeys.accessKey}\n`);
			assert.notEqual(fresh.gatewayKeys.accessKey, source.gatewayKeys.accessKey, 'a new cluster has new keys');
		});
		it('stops and starts units by either name form', async () => {
			assert.equal((await run(src, installed(commands.stop('deis-store-gateway@1.service')))).code, 0);
			assert.equal(source.units().find((u) => u.unit === 'deis-store-gateway@1.service')?.active, 'inactive');
			assert.equal((await run(src, installed(commands.start('store-gateway@1')))).code, 0);
			assert.equal(source.units().find((u) => u.unit === 'deis-store-gateway@1.service')?.active, 'active');
		});
		it('scales the store gateway', async () => {
			assert.equal((await run(src, installed(commands.scale('store-gateway', 3)))).code, 0);
			const gateways = () => source.units().filter((u) => u.unit.startsWith('deis-store-gateway@')).map((u) => `${u.unit} ${u.active}`);
			assert.deepEqual(gateways(), [1, 2, 3].map((n) => `deis-store-gateway@${n}.service active`));
			assert.equal((await run(src, installed(commands.scale('store-gateway', 1)))).code, 0);
			assert.deepEqual(gateways(), ['deis-store-gateway@1.service active']);
			assert.equal((await run(src, installed(commands.scale('controller', 2)))).code, 1);
		});
	});

	describe('store volume', () => {
		it('prints the host addresses', async () => {
			const r = await run(src, commands.hostAddresses());
			assert.equal(r.code, 0);
			assert.deepEqual(r.stdout.toString().trim().split(/\s+/), ['127.0.0.1']);
		});
		it('lists store files with sizes like find -printf', async () => {
			const r = await run(src, commands.listStore());
			assert.equal(r.code, 0, r.stderr);
			const listed = new Map(
				r.stdout
					.toString()
					.trimEnd()
					.split('\n')
					.map((l) => [l.slice(l.indexOf(' ') + 1), Number(l.slice(0, l.indexOf(' ')))] as const),
			);
			const expected = new Map([...tree(source.storeDir)].filter(([, v]) => !v.startsWith('->')).map(([k, v]) => [k, Number(v.split(' ')[0])]));
			assert.deepEqual(listed, expected);
			assert.ok(listed.has('controller/settings backup.txt') && listed.has('controller/ünïcode-notes.txt'));
			assert.equal(listed.get('logs/deis-builder.log'), 0);
		});
		it('needs sudo and refuses other paths', async () => {
			assert.equal((await run(src, ['tar', '-C', '/var/lib/deis/store', '-cpzf', '-', '.'])).code, 2);
			const r = await run(src, ['sudo', 'tar', '-C', '/etc', '-cpzf', '-', '.']);
			assert.equal(r.code, 2);
			assert.equal(r.stdout.length, 0);
			assert.equal((await run(src, ['sudo', 'tar', '-C', '/var/lib/deis/store', '-cpzf', '/tmp/out.tgz', '.'])).code, 2);
			assert.equal((await run(src, ['sudo', 'find', '/', '-type', 'f'])).code, 1);
		});
		it('streams a tarball that extracts to the same files, then restores it onto the fresh cluster', async () => {
			// incompressible, so the stream outgrows the SSH window and backpressure has to work
			writeFileSync(join(source.storeDir, 'controller', 'blob.bin'), randomBytesFor('blob', 5 * 1024 * 1024));
			const r = await run(src, commands.tarStore());
			assert.equal(r.outputAfterExit, false, 'exit status after the last byte');
			assert.ok(r.stdout.length > 5 * 1024 * 1024);
			// a live log makes tar warn, as on a real cluster; anything else is a failure
			assert.ok(r.code === 0 || (r.code === 1 && /file changed as we read it/.test(r.stderr)), `tar: ${r.code} ${r.stderr}`);
			assert.ok(r.stdout.length > 100_000, `tarball of ${r.stdout.length} bytes`);
			assert.deepEqual([...r.stdout.subarray(0, 2)], [0x1f, 0x8b], 'gzip');

			const local = mkdtempSync(join(root, 'extract-'));
			const x = spawnSync('tar', ['-C', local, '-xzf', '-'], { input: r.stdout });
			assert.equal(x.status, 0, x.stderr.toString());
			const want = tree(source.storeDir);
			const got = tree(local);
			assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort());
			for (const [k, v] of want) {
				if (k === 'logs/deis-registry.log') continue; // still growing while tar read it
				assert.equal(got.get(k), v, k);
				if (!v.startsWith('->')) assert.ok(readFileSync(join(local, k)).equals(readFileSync(join(source.storeDir, k))), k);
			}
			const live = readFileSync(join(source.storeDir, 'logs/deis-registry.log'));
			const copied = readFileSync(join(local, 'logs/deis-registry.log'));
			assert.ok(copied.length > 1_000_000 && live.subarray(0, copied.length).equals(copied), 'a prefix of the live log');

			const u = await run(dst, commands.untarStore(), r.stdout);
			assert.equal(u.code, 0, u.stderr);
			assert.deepEqual(tree(fresh.storeDir), got);
			const l = await run(dst, commands.listStore());
			assert.ok(l.stdout.toString().includes(`${copied.length} logs/deis-registry.log\n`));
		});
		it('reports a corrupt tarball through tar exit status', async () => {
			const r = await run(dst, commands.untarStore(), Buffer.from('not a tarball at all'));
			assert.notEqual(r.code, 0);
			assert.match(r.stderr, /gzip|tar/);
		});
	});

	describe('database and controller', () => {
		it('dumps the database with the controller rows', async () => {
			const r = await run(src, commands.pgDumpAll());
			assert.equal(r.code, 0, r.stderr);
			const sql = r.stdout.toString();
			assert.match(sql, /^--\n-- PostgreSQL database cluster dump\n/);
			assert.match(sql, /-- PostgreSQL database cluster dump complete\n--\n\n$/);
			for (const t of ['api_app', 'api_key', 'api_domain', 'api_certificate', 'api_config', 'auth_user']) assert.match(sql, new RegExp(`COPY public\\.${t} \\(`));
			for (const a of source.model.apps) assert.match(sql, new RegExp(`\\t${a.id}\\t`));
			for (const k of source.model.keys) assert.ok(sql.includes(k.public), k.id);
			assert.ok(sql.includes('shop.example.com'));
			// the COPY block of api_domain has exactly one line per row
			const block = sql.split('COPY public.api_domain')[1]!.split('\\.')[0]!.trim().split('\n').slice(1);
			assert.equal(block.length, source.model.domains.length);
		});
		it('has no database container before the platform starts', async () => {
			const c = await connect(older.connection);
			const r = await run(c, commands.pgDumpAll());
			c.dispose();
			assert.equal(r.code, 1);
			assert.match(r.stderr, /No such container: deis-database/);
			assert.equal(r.stdout.length, 0);
		});
		it('re-publishes models with load_db_state_to_etcd on a later controller', async () => {
			assert.equal((await run(dst, installed(commands.start('platform')))).code, 0);
			assert.equal((await run(dst, commands.hasLoadDbState('127.0.0.1:4001'))).code, 0);
			assert.deepEqual(published(fresh), {});
			// Deis v1's models.py: no etcd at $ETCD means a warning, saves that publish nothing, and exit 0
			const wrong = await run(dst, commands.loadDbState('10.0.0.1:4001'));
			assert.equal(wrong.code, 0);
			assert.equal(wrong.stderr, 'WARNING Cannot synchronize with etcd cluster\n');
			assert.deepEqual(published(fresh), {});

			const r = await run(dst, commands.loadDbState('127.0.0.1:4001'));
			assert.equal(r.code, 0, r.stderr);
			assert.deepEqual(published(fresh), published(source));
			assert.equal(fresh.etcd.get('/deis/domains/shop.example.com'), 'shop-frontend');
			assert.equal(fresh.etcd.get('/deis/config/blog/mixed_case_key'), 'keeps its value, loses its case');
			assert.equal(fresh.etcd.get('/deis/config/shop-frontend/secret_key_old'), undefined, 'the newest config wins');
			assert.ok(fresh.etcd.isDir('/deis/services/status-page'));

			const ls = await run(dst, commands.etcdList('/deis/domains'));
			assert.equal(ls.code, 0);
			assert.deepEqual(ls.stdout.toString().trim().split('\n'), ['/deis/domains/blog.example.org', '/deis/domains/shop.example.com', '/deis/domains/www.shop.example.com']);
			assert.equal((await run(dst, commands.etcdList('/deis/nothing'))).code, 4);
		});
		it('re-publishes models with the shell script on an older controller', async () => {
			const c = await connect(older.connection);
			try {
				assert.equal((await run(c, installed(commands.install('platform')))).code, 0);
				assert.equal((await run(c, installed(commands.start('platform')))).code, 0);
				assert.equal((await run(c, commands.hasLoadDbState('127.0.0.1:4001'))).code, 1);
				assert.equal((await run(c, commands.loadDbState('127.0.0.1:4001'))).code, 1);

				// a script that is not the re-save leaves etcd alone (and, like Django's shell, exits 0)
				const junk = await run(c, commands.resaveModels('127.0.0.1:4001'), '[k.save() for k in Key.objects.all()]\nimport os\n');
				assert.equal(junk.code, 0);
				assert.match(junk.stderr, /NameError: name 'Key' is not defined/);
				assert.match(junk.stderr, /SyntaxError/);
				assert.deepEqual(published(older), {});

				const r = await run(c, commands.resaveModels('127.0.0.1:4001'), RESAVE_SCRIPT);
				assert.equal(r.code, 0, r.stderr);
				assert.equal(r.stderr, '');
				assert.equal(r.stdout.toString().split('\n').filter((l) => l.startsWith('[None')).length, 5);
				assert.deepEqual(published(older), published(source));
			} finally {
				c.dispose();
			}
		});
		it('has no nse for a non-interactive command: it is a login-shell function', async () => {
			const r = await run(src, ['nse', 'deis-controller']);
			assert.equal(r.code, 127);
			assert.equal(r.stderr, 'bash: nse: command not found\n');
		});
	});
});
