/**
 * Connecting the way `ssh` and `deisctl` do, against the simulated cluster's
 * real sshd, with a HOME of the test's own holding .ssh/config, keys and
 * known_hosts and no SSH agent: an alias through ProxyJump, the default key,
 * DEISCTL_TUNNEL, a passphrase key without a terminal, a world-readable key,
 * hashed and wildcard known_hosts, a changed host key.
 *
 *   flock /tmp/deis-cluster.lock bash -c 'npx tsx test/cluster/up.ts && node --import tsx --test test/cluster-e2e/ssh-config.test.ts; npx tsx test/cluster/down.ts'
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { readManifest } from '../../source/archive/manifest.js';
import { loadCluster, makeSource, type ClusterEnv } from '../cluster/env.js';
import { runCli } from '../support/cli.js';

let cluster: ClusterEnv;
let root: string;
let home: string;
let ssh: string;
/** The cluster host's key line body: "ssh-ed25519 AAAA…". */
let hostKey: string;
let runs = 0;

before(async () => {
	cluster = loadCluster();
	await makeSource();
	root = await mkdtemp(join(tmpdir(), 'ssh-config-e2e-'));
	hostKey = (await readFile(cluster.knownHosts, 'utf8')).trim().split(/\s+/).slice(1, 3).join(' ');
});

after(async () => {
	await rm(root, { recursive: true, force: true });
});

/** A fresh HOME for each test: nothing of one test's keys or known_hosts leaks into the next. */
beforeEach(async () => {
	home = join(root, `home-${++runs}`);
	ssh = join(home, '.ssh');
	await mkdir(ssh, { recursive: true, mode: 0o700 });
});

/** The cluster's authorized key, copied into HOME under a name, mode 0600 unless told. */
async function key(name: string, mode = 0o600): Promise<string> {
	const path = join(ssh, name);
	await copyFile(cluster.identity, path);
	await chmod(path, mode);
	return path;
}

/** A light run that still connects, reads the keys over SSH and downloads one bucket. */
function backup(args: string[], env: NodeJS.ProcessEnv = {}) {
	const out = join(root, `out-${runs}-${Math.random().toString(36).slice(2, 8)}`);
	return runCli(['backup', '--domain', cluster.domain, '--out', out, '--buckets', 'registry', '--skip-volume', '--skip-database', '--yes', ...args], { HOME: home, SSH_AUTH_SOCK: '', DEISCTL_TUNNEL: '', ...env }).then((result) => ({
		...result,
		out,
		last: result.stderr.trim().split('\n').at(-1) ?? '',
	}));
}

/** A TCP relay to the cluster's sshd that counts connections: the jump host's own port. */
async function countingRelay(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
	let count = 0;
	const open = new Set<Socket>();
	const server: Server = createServer((client) => {
		count += 1;
		const upstream = connect(cluster.port, cluster.host);
		for (const socket of [client, upstream]) {
			open.add(socket);
			socket.on('error', () => undefined);
			socket.on('close', () => open.delete(socket));
		}
		client.pipe(upstream).pipe(client);
	});
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	return {
		port: (server.address() as { port: number }).port,
		connections: () => count,
		close: async () => {
			for (const socket of open) socket.destroy();
			await new Promise((done) => server.close(done));
		},
	};
}

test('an ssh_config alias with ProxyJump: --host deis-prod goes through the jump host, keys and known_hosts from the config', async () => {
	const relay = await countingRelay();
	try {
		await key('cluster_key');
		// One wildcard line covers the jump's port and the cluster's: the same sshd answers both.
		await writeFile(join(ssh, 'deis_known_hosts'), `[127.0.0.1]:* ${hostKey}\n`);
		await writeFile(
			join(ssh, 'config'),
			[
				'Host deis-jump',
				'  HostName 127.0.0.1',
				`  Port ${relay.port}`,
				`  User ${cluster.user}`,
				'  IdentityFile ~/.ssh/cluster_key',
				'  UserKnownHostsFile ~/.ssh/deis_known_hosts',
				'Host deis-prod',
				`  HostName ${cluster.host}`,
				`  Port ${cluster.port}`,
				`  User ${cluster.user}`,
				'  IdentityFile ~/.ssh/cluster_key',
				'  IdentitiesOnly yes',
				'  UserKnownHostsFile ~/.ssh/deis_known_hosts',
				'  ProxyJump deis-jump',
				'',
			].join('\n'),
		);
		const result = await backup(['--host', 'deis-prod']);
		assert.equal(result.code, 0, result.stderr);
		assert.match(result.stderr, new RegExp(`Connect to ${cluster.user}@deis-prod:${cluster.port}`));
		assert.equal(relay.connections(), 1, 'one connection went to the jump host; the cluster host was reached through it');
		const manifest = await readManifest(result.out);
		assert.ok(manifest.buckets.find((bucket) => bucket.name === 'registry')?.objects.length, 'objects were downloaded');
		assert.equal(await readFile(join(ssh, 'deis_known_hosts'), 'utf8'), `[127.0.0.1]:* ${hostKey}\n`, 'nothing new recorded');
	} finally {
		await relay.close();
	}
});

test('the default key ~/.ssh/id_ed25519 is found with no agent and no --identity; --host host:port is split', async () => {
	await key('id_ed25519');
	await writeFile(join(ssh, 'known_hosts'), `[${cluster.host}]:${cluster.port} ${hostKey}\n`);
	const result = await backup(['--host', `${cluster.host}:${cluster.port}`]);
	assert.equal(result.code, 0, result.stderr);
	assert.match(result.stderr, new RegExp(`Connect to ${cluster.user}@${cluster.host.replaceAll('.', '\\.')}:${cluster.port}`));
});

test('DEISCTL_TUNNEL naming an ssh_config alias is the host: no connection flags but the domain', async () => {
	await key('cluster_key');
	await writeFile(join(ssh, 'known_hosts'), `[${cluster.host}]:${cluster.port} ${hostKey}\n`);
	await writeFile(join(ssh, 'config'), `Host deis-prod\n  HostName ${cluster.host}\n  Port ${cluster.port}\n  User ${cluster.user}\n  IdentityFile ~/.ssh/cluster_key\n`);
	const result = await backup([], { DEISCTL_TUNNEL: 'deis-prod' });
	assert.equal(result.code, 0, result.stderr);
	assert.match(result.stderr, new RegExp(`Connect to ${cluster.user}@deis-prod:${cluster.port}`));
	const tunnel = await backup(['--identity', await key('id_other')], { DEISCTL_TUNNEL: `${cluster.host}:${cluster.port}` });
	assert.equal(tunnel.code, 0, tunnel.stderr);
});

test('a passphrase-protected key without a terminal is skipped with a sentence saying why and what to do', async () => {
	const locked = await key('id_ed25519');
	execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', 'correct horse battery', '-f', locked]);
	await writeFile(join(ssh, 'known_hosts'), `[${cluster.host}]:${cluster.port} ${hostKey}\n`);
	const result = await backup(['--host', cluster.host, '--port', String(cluster.port)]);
	assert.equal(result.code, 1, result.stderr);
	assert.match(result.last, new RegExp(`The SSH key ${locked} is protected by a passphrase and there is no terminal prompt to type it in, so it was skipped; add it to ssh-agent \\(ssh-add ${locked}\\)`));
	assert.doesNotMatch(result.stderr, /could not be read as a private key/);
});

test('a private key others can read is refused with OpenSSH\'s reason; --insecure-key-permissions uses it with a warning', async () => {
	const loose = await key('loose_key', 0o644);
	await writeFile(join(ssh, 'known_hosts'), `[${cluster.host}]:${cluster.port} ${hostKey}\n`);
	const args = ['--host', cluster.host, '--port', String(cluster.port), '--identity', loose];
	const refused = await backup(args);
	assert.equal(refused.code, 1, refused.stderr);
	assert.match(refused.last, new RegExp(`Permissions 0644 for '${loose}' are too open: a private key must not be accessible by others`));
	assert.match(refused.last, /--insecure-key-permissions/);
	const allowed = await backup([...args, '--insecure-key-permissions']);
	assert.equal(allowed.code, 0, allowed.stderr);
	assert.match(allowed.stderr, new RegExp(`warning: ${loose} is readable by others \\(mode 0644\\); used anyway because of --insecure-key-permissions`));
});

test('hashed known_hosts entries (ssh-keygen -H) are trusted without asking and left as they are', async () => {
	await key('id_ed25519');
	const knownHosts = join(ssh, 'known_hosts');
	await writeFile(knownHosts, `other.example.com ${hostKey}\n[${cluster.host}]:${cluster.port} ${hostKey}\n`);
	execFileSync('ssh-keygen', ['-H', '-f', knownHosts], { stdio: 'pipe' });
	const hashed = await readFile(knownHosts, 'utf8');
	assert.doesNotMatch(hashed, /127\.0\.0\.1|example/, 'every name is hashed');
	const result = await backup(['--host', cluster.host, '--port', String(cluster.port)]);
	assert.equal(result.code, 0, result.stderr);
	assert.equal(await readFile(knownHosts, 'utf8'), hashed, 'nothing recorded');
});

test('a changed host key names the file and line and the ssh-keygen -R command, and stops even with --accept-new-host-key', async () => {
	await key('id_ed25519');
	const knownHosts = join(ssh, 'known_hosts');
	const wrong = join(root, `wrong-${runs}`);
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrong]);
	const wrongKey = (await readFile(`${wrong}.pub`, 'utf8')).split(' ').slice(0, 2).join(' ');
	const text = `# the cluster before it was rebuilt\n[${cluster.host}]:${cluster.port} ${wrongKey}\n`;
	await writeFile(knownHosts, text);
	const result = await backup(['--host', cluster.host, '--port', String(cluster.port), '--accept-new-host-key']);
	assert.equal(result.code, 1, result.stderr);
	assert.match(result.last, new RegExp(`host key of ${cluster.host.replaceAll('.', '\\.')}:${cluster.port} has changed \\(now SHA256:`));
	assert.ok(result.last.includes(`the key on record is at ${knownHosts}:2`), result.last);
	assert.ok(result.last.includes(`ssh-keygen -f '${knownHosts}' -R '[${cluster.host}]:${cluster.port}'`), result.last);
	assert.equal(await readFile(knownHosts, 'utf8'), text, 'known_hosts untouched');
});
