/**
 * Bad and hostile input: flags, bucket names, object keys and manifests.
 * Each gets one clear line and a non-zero exit, or is stored faithfully;
 * nothing is written outside the backup folder; nothing reaches the remote
 * shell unquoted (the demo host refuses unquoted shell syntax and logs it).
 */
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readManifest, type Manifest } from '../../source/archive/manifest.js';
import { startDemoCluster, type DemoCluster } from '../../source/demo/cluster.js';
import { connectionFlags } from '../support/cli.js';
import { runToEnd, type Exit } from './harness/cli.js';
import { refusedCommands } from './harness/demo.js';
import { listTree, sha256Of } from './harness/folder.js';
import { startMemoryGateway, type MemoryGateway } from './harness/memory-gateway.js';

let root: string;
let sandbox: string;
let source: DemoCluster;
let clean: string;
let tried = 0;

before(async () => {
	root = await mkdtemp(join(tmpdir(), 'rel-input-'));
	sandbox = join(root, 'sandbox');
	await mkdir(sandbox);
	source = await startDemoCluster({ root, mode: 'source' });
	clean = join(root, 'clean');
	const result = await runToEnd(['backup', ...connectionFlags(source.connection), '--out', clean, '--skip-database']);
	assert.equal(result.code, 0, result.stderr);
});

after(async () => {
	await source?.stop();
	await rm(root, { recursive: true, force: true });
	process.stderr.write(`# bad inputs tried: ${tried}\n`);
});

function lastLine(exit: Exit): string {
	return exit.stderr.trim().split('\n').at(-1) ?? '';
}

function assertClearFailure(exit: Exit, pattern: RegExp, context: string, code?: number): void {
	if (code === undefined) assert.notEqual(exit.code, 0, `${context}: non-zero exit\n${exit.stderr}`);
	else assert.equal(exit.code, code, `${context}: exit ${code}\n${exit.stderr}`);
	assert.match(lastLine(exit), pattern, `${context}\n${exit.stderr}`);
	assert.doesNotMatch(exit.stderr, /unexpected error|    at .*\(|Unhandled|node:internal/, `${context}: no stack trace`);
}

/** ['--host', 'x'] → ['--host=x'] for every flag that takes a value. */
function joined(args: string[]): string[] {
	const out: string[] = [];
	for (let i = 0; i < args.length; i++) {
		const arg = args[i] as string;
		const next = args[i + 1];
		if (arg.startsWith('--') && next !== undefined && !next.startsWith('--') && !['--accept-new-host-key', '--yes', '--skip-database', '--skip-volume', '--skip-controller'].includes(arg)) {
			out.push(`${arg}=${next}`);
			i++;
		} else {
			out.push(arg);
		}
	}
	return out;
}

const snapshot = async (dir: string) => JSON.stringify((await listTree(dir)).map((e) => `${e.type} ${e.path}`).sort());

test('hostile connection flags, folders and bucket names: one clear line each, nothing written anywhere', async () => {
	const c = source.connection;
	const aFile = join(root, 'a-file');
	await writeFile(aFile, 'not a folder');
	const emptyKey = join(root, 'empty-key');
	await writeFile(emptyKey, '');
	const flags = (over: Partial<typeof c>) => connectionFlags({ ...c, ...over });
	const out = (name: string) => ['--out', join(sandbox, name)];
	const cases: Array<{ name: string; args: string[]; message: RegExp; code?: number }> = [
		...['a;rm -rf /', '$(touch pwned)', '`id`', '-oProxyCommand=touch pwned', 'host name', 'a'.repeat(300), 'exa\nmple.com', "x'y"].map((host) => ({ name: `host ${JSON.stringify(host)}`, args: ['backup', ...flags({ host })], message: /--host: /, code: 2 })),
		...['0', '65536', '22abc', '-1', '1e3', '0x16', '2222;id'].map((port) => ({ name: `port ${port}`, args: ['backup', '--host', c.host, '--domain', c.domain, '--port', port], message: /--port: /, code: 2 })),
		...['core;id', '-oProxyCommand=x', "co're", 'ROOT', 'a'.repeat(40), '$(id)'].map((user) => ({ name: `user ${JSON.stringify(user)}`, args: ['backup', ...flags({ user })], message: /--user: /, code: 2 })),
		...['x.com;id', '$(id).com', 'a', '../../etc', 'exa_mple.com', 'a..b.com', 'x.com/evil'].map((domain) => ({ name: `domain ${JSON.stringify(domain)}`, args: ['backup', ...flags({ domain })], message: /--domain: /, code: 2 })),
		...['file:///etc/passwd', 'http://user:pw@127.0.0.1:1', 'javascript:alert(1)', 'ftp://x.example.com', 'http://x.example.com/path?q=1', 'not a url'].map((storeEndpoint) => ({ name: `endpoint ${storeEndpoint}`, args: ['backup', ...flags({ storeEndpoint })], message: /--store-endpoint: /, code: 2 })),
		{ name: 'identity missing', args: ['backup', ...flags({ identity: join(root, 'nope') }), ...out('i1')], message: /Cannot read the SSH key/ },
		{ name: 'identity is a folder', args: ['backup', ...flags({ identity: root }), ...out('i2')], message: /Cannot read the SSH key/ },
		{ name: 'identity in /proc', args: ['backup', ...flags({ identity: '/proc/x/key' }), ...out('i3')], message: /Cannot read the SSH key/ },
		{ name: 'identity empty', args: ['backup', ...flags({ identity: emptyKey }), ...out('i4')], message: /could not be read as a private key|SSH key|--identity/ },
		{ name: 'known_hosts is a folder', args: ['backup', ...flags({ knownHosts: root }), ...out('k1')], message: /Cannot read the known hosts file .*--known-hosts/ },
		{ name: 'known_hosts unwritable for a new key', args: ['backup', ...flags({ knownHosts: '/proc/x/known_hosts' }), '--accept-new-host-key', ...out('k2')], message: /Cannot record the host key .*--known-hosts/ },
		{ name: '--out is a file', args: ['backup', ...flags({}), '--out', aFile], message: /--out/ },
		{ name: '--out below a file', args: ['backup', ...flags({}), '--out', join(aFile, 'sub')], message: /--out/ },
		{ name: '--out in /proc', args: ['backup', ...flags({}), '--out', '/proc/x'], message: /--out/ },
		...['../etc', 'a/b', '', 'db_wal,,registry', '.hidden', 'x'.repeat(300), 'a..b', 'reg istry'].map((buckets) => ({ name: `--buckets ${JSON.stringify(buckets).slice(0, 30)}`, args: ['backup', ...flags({}), '--buckets', buckets, ...out('b')], message: /--buckets: /, code: 2 })),
		...['0', '1e9', 'abc', '-4'].map((n) => ({ name: `--concurrency ${n}`, args: ['backup', ...flags({}), '--concurrency', n, ...out('n')], message: /--concurrency: .* is not a whole number from 1 to 256/, code: 2 })),
		{ name: 'restore without --yes', args: ['restore', clean, ...flags({})], message: /--yes/, code: 2 },
		{ name: 'restore of a folder that is no backup', args: ['restore', sandbox, '--yes', ...flags({})], message: /holds no manifest\.json/ },
		{ name: 'verify of a missing folder', args: ['verify', join(root, 'missing')], message: /holds no manifest\.json/ },
	];
	const before = await snapshot(sandbox);
	// Six at a time: each is its own process, and none of them may write anything.
	for (let i = 0; i < cases.length; i += 6) {
		await Promise.all(
			cases.slice(i, i + 6).map(async (item) => {
				// `--flag=value`, so values starting with a dash reach validation instead of the option parser.
				const exit = await runToEnd(joined(item.args), { cwd: sandbox });
				assertClearFailure(exit, item.message, item.name, item.code);
				tried++;
			}),
		);
	}
	// Every case failed before writing anything: at most the (empty) folder named with --out was
	// created, for the cases that fail only once they connect; nothing else in the working folder.
	const added = (JSON.parse(await snapshot(sandbox)) as string[]).filter((entry) => !(JSON.parse(before) as string[]).includes(entry));
	const outFolders = new Set(cases.flatMap((item) => item.args.flatMap((arg, i) => (item.args[i - 1] === '--out' && arg.startsWith(sandbox) ? [`dir ${arg.slice(sandbox.length + 1)}`] : []))));
	assert.deepEqual(added.filter((entry) => !outFolders.has(entry)), [], 'nothing written in the working folder or beside --out');
	assert.equal(await readFile(aFile, 'utf8'), 'not a folder', '--out pointing at a file left it alone');
	assert.deepEqual(refusedCommands(source), [], 'no unquoted shell syntax reached the host');
});

test('a hostile bucket name in etcd is refused before anything is downloaded', async () => {
	const previous = source.etcd.get('/deis/registry/bucketName');
	source.etcd.set('/deis/registry/bucketName', '../../etc');
	try {
		const folder = join(sandbox, 'etcd-bucket');
		const exit = await runToEnd(['backup', ...connectionFlags(source.connection), '--out', folder]);
		assertClearFailure(exit, /etcd holds an invalid bucket name for the registry \("\.\.\/\.\.\/etc"\)/, 'etcd bucket name');
		tried++;
		assert.deepEqual((await listTree(folder)).filter((e) => e.type === 'file'), [], 'nothing saved');
	} finally {
		if (previous !== undefined) source.etcd.set('/deis/registry/bucketName', previous);
	}
});

/** Keys S3 and Ceph accept that a naive tool would turn into paths, shell words or nothing. */
const HOSTILE_KEYS = [
	'../../../../escape-up',
	'a/../../b',
	'/leading-slash',
	'//double-leading',
	'double//slash',
	'trailing/',
	'.',
	'..',
	'a/./b',
	'ctl\u0001char',
	'new\nline',
	'carriage\rreturn',
	'tab\tkey',
	'del\u007f',
	'pct%2Fencoded',
	'100%',
	'q?x=1#frag',
	'back\\slash',
	"quote'single",
	'quote"double',
	'$(touch pwned)',
	'`id`',
	'semi;colon && rm -rf /',
	' leading space',
	'trailing space ',
	'unicodé/ñ/日本',
	'emoji😀',
	'x'.repeat(255),
	`${'deep/'.repeat(150)}end`,
	'p',
	'p/q',
	'p/q/r',
	'_keys/0000',
	'x.part-deadbeef',
	'.deis-backup',
	'manifest.json',
];

test('hostile object keys round-trip exactly through backup and restore, and nothing lands outside the folder', async () => {
	// The keys live in a memory gateway: s3rver's files-named-after-keys cannot hold `..` or `//` (Ceph can).
	const bodies: Record<string, Buffer> = {};
	HOSTILE_KEYS.forEach((key, i) => (bodies[key] = Buffer.from(`object ${i}: ${JSON.stringify(key)}\n`)));
	const from: MemoryGateway = await startMemoryGateway(source.gatewayKeys.accessKey, { db_wal: { 'wal_005/000000010000000000000001.lzo': 'wal' }, registry: bodies });
	const fresh = await startDemoCluster({ root, mode: 'fresh', name: 'fresh-keys' });
	const to = await startMemoryGateway(fresh.gatewayKeys.accessKey);
	const folder = join(sandbox, 'hostile-keys');
	try {
		const before = await snapshot(root);
		const backup = await runToEnd(['backup', ...connectionFlags({ ...source.connection, storeEndpoint: from.endpoint }), '--out', folder, '--skip-volume', '--skip-database'], { cwd: sandbox });
		assert.equal(backup.code, 0, backup.stderr);
		tried += HOSTILE_KEYS.length;
		// Outside the backup folder, the tree is as it was (the folder itself is the only addition).
		const after = JSON.parse(await snapshot(root)) as string[];
		const added = after.filter((entry) => !(JSON.parse(before) as string[]).includes(entry));
		const outside = added.filter((entry) => !entry.replace(/^\w+ /, '').startsWith('sandbox/hostile-keys'));
		assert.deepEqual(outside, [], 'nothing written outside the backup folder');
		const manifest = await readManifest(folder);
		const registry = manifest.buckets.find((b) => b.name === 'registry');
		assert.ok(registry);
		assert.deepEqual(registry.objects.map((o) => o.key).sort(), [...HOSTILE_KEYS].sort(), 'every key, exactly, in the manifest');
		for (const object of registry.objects) {
			assert.equal(await sha256Of(join(folder, registry.folder, object.path)), object.sha256, object.key);
			assert.ok(!object.path.split('/').some((s) => s === '..' || s === '.' || s === ''), `safe path for ${JSON.stringify(object.key)}: ${object.path}`);
		}
		assert.equal((await runToEnd(['verify', folder])).code, 0);

		const restore = await runToEnd(['restore', folder, '--yes', '--skip-volume', '--skip-controller', ...connectionFlags({ ...fresh.connection, storeEndpoint: to.endpoint })]);
		assert.equal(restore.code, 0, restore.stderr);
		const restored = to.buckets.get('registry');
		assert.ok(restored);
		assert.deepEqual([...restored.keys()].sort(), [...HOSTILE_KEYS].sort(), 'the same keys, byte for byte');
		for (const key of HOSTILE_KEYS) assert.ok(restored.get(key)?.equals(bodies[key] as Buffer), `same body for ${JSON.stringify(key)}`);
		assert.deepEqual(refusedCommands(source), [], 'no unquoted shell syntax reached the source host');
		assert.deepEqual(refusedCommands(fresh), [], 'no unquoted shell syntax reached the new host');
	} finally {
		await Promise.all([from.close(), to.close(), fresh.stop()]);
	}
});

async function tamperedCopy(name: string, edit: (manifest: Manifest) => void): Promise<string> {
	const folder = join(sandbox, name);
	await cp(clean, folder, { recursive: true });
	const manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8')) as Manifest;
	edit(manifest);
	await writeFile(join(folder, 'manifest.json'), JSON.stringify(manifest));
	return folder;
}

test('a tampered manifest (paths out of the folder, bad names, bad checksums) is refused by verify and restore', async () => {
	const first = (m: Manifest) => m.buckets[0]!.objects[0]!;
	const cases: Array<{ name: string; edit: (m: Manifest) => void }> = [
		{ name: 'object path ../', edit: (m) => (first(m).path = '../../../../etc/passwd') },
		{ name: 'object path absolute', edit: (m) => (first(m).path = '/etc/passwd') },
		{ name: 'object path with empty segment', edit: (m) => (first(m).path = 'a//b') },
		{ name: 'object path with control character', edit: (m) => (first(m).path = 'a\nb') },
		{ name: 'bucket folder ../', edit: (m) => (m.buckets[0]!.folder = '../outside') },
		{ name: 'bucket name ../', edit: (m) => (m.buckets[0]!.name = '../../x') },
		{ name: 'volume file ../', edit: (m) => (m.volume!.file = '../store.tar.gz') },
		{ name: 'checksum not hex', edit: (m) => (first(m).sha256 = 'z'.repeat(64)) },
		{ name: 'negative size', edit: (m) => (first(m).size = -1) },
		{ name: 'unknown format', edit: (m) => ((m as { format: string }).format = 'other/9') },
	];
	for (const item of cases) {
		const folder = await tamperedCopy(`tampered-${tried}`, item.edit);
		const fresh = join(root, 'never-created');
		const verify = await runToEnd(['verify', folder]);
		assertClearFailure(verify, /manifest\.json is damaged or was edited/, `verify: ${item.name}`);
		const restore = await runToEnd(['restore', folder, '--yes', ...connectionFlags({ ...source.connection, knownHosts: join(fresh, 'kh') })]);
		assertClearFailure(restore, /manifest\.json is damaged or was edited/, `restore: ${item.name}`);
		tried++;
	}
	const broken = join(sandbox, 'not-json');
	await cp(clean, broken, { recursive: true });
	await writeFile(join(broken, 'manifest.json'), '{"format": "deis-backup/1", ');
	assertClearFailure(await runToEnd(['verify', broken]), /is not valid JSON/, 'manifest not JSON');
	tried++;
	assert.deepEqual(refusedCommands(source), []);
});

test('a wrong checksum in the manifest, or a damaged tarball, is caught by verify (exit 3) and stops a restore', async () => {
	const wrongSha = await tamperedCopy('wrong-sha', (m) => {
		const object = m.buckets[0]!.objects[0]!;
		object.sha256 = object.sha256.replace(/^./, (c) => (c === '0' ? '1' : '0'));
	});
	const verify = await runToEnd(['verify', wrongSha]);
	assert.equal(verify.code, 3, verify.stderr);
	assert.match(verify.stdout, /wrong checksum: buckets\//);
	tried++;
	const fresh = await startDemoCluster({ root, mode: 'fresh', name: 'fresh-sha' });
	try {
		// The upload's own check, behind the preflight that would stop this restore first.
		const restore = await runToEnd(['restore', wrongSha, '--yes', '--skip-volume', '--skip-preflight', ...connectionFlags(fresh.connection)]);
		assertClearFailure(restore, /does not match the checksum in manifest\.json/, 'restore of a file that does not match the manifest');
	} finally {
		await fresh.stop();
	}

	const badTar = join(sandbox, 'bad-tarball');
	await cp(clean, badTar, { recursive: true });
	const tarball = join(badTar, 'store_file_backup.tar.gz');
	const bytes = await readFile(tarball);
	bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
	await writeFile(tarball, bytes);
	const check = await runToEnd(['verify', badTar]);
	assert.equal(check.code, 3, check.stderr);
	assert.match(check.stdout, /wrong checksum: store_file_backup\.tar\.gz/);
	tried++;
});

test('restore refuses a tarball that does not match its checksum before extracting it', async () => {
	const badTar = join(sandbox, 'bad-tarball-restore');
	await cp(clean, badTar, { recursive: true });
	const tarball = join(badTar, 'store_file_backup.tar.gz');
	const bytes = await readFile(tarball);
	bytes[bytes.length - 12]! ^= 0xff; // in gzip's CRC: still a readable archive, but not the one backed up
	await writeFile(tarball, bytes);
	const fresh = await startDemoCluster({ root, mode: 'fresh', name: 'fresh-tar' });
	try {
		// The extraction's own check, behind the preflight that would stop this restore first.
		const restore = await runToEnd(['restore', badTar, '--yes', '--skip-buckets', '--skip-controller', '--skip-preflight', ...connectionFlags(fresh.connection)]);
		assertClearFailure(restore, /store_file_backup\.tar\.gz does not match/, 'restore of a damaged tarball');
		assert.ok(!fresh.log.some((e) => e.command.includes('tar -C')), 'nothing extracted');
	} finally {
		await fresh.stop();
	}
});
