/**
 * The connection a command starts before its plan loads (plans/connect.ts
 * startConnect), against the simulated cluster's real sshd: it asks and
 * records nothing before the plan's Connect step joins it, a question stops
 * it and the join connects again and asks there, notices wait for the join,
 * and an abandoned attempt lets go of the host.
 *
 *   flock /tmp/deis-cluster.lock bash -c 'npx tsx test/cluster/up.ts && node --import tsx --test test/cluster-e2e/early-connect.test.ts; npx tsx test/cluster/down.ts'
 */
import assert from 'node:assert/strict';
import { chmod, copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect as netConnect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { connectHost } from '../../source/cluster/ssh.js';
import { startConnect } from '../../source/plans/connect.js';
import type { ConnectionSettings } from '../../source/settings.js';
import { loadCluster, type ClusterEnv } from '../cluster/env.js';

let cluster: ClusterEnv;
let root: string;
let files = 0;
const servers: Server[] = [];

before(async () => {
	cluster = loadCluster();
	root = await mkdtemp(join(tmpdir(), 'early-connect-'));
});

after(async () => {
	await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
	await rm(root, { recursive: true, force: true });
});

/** An empty known_hosts of the test's own: the cluster's host key is unknown to it. */
async function emptyKnownHosts(): Promise<string> {
	const path = join(root, `known_hosts-${++files}`);
	await writeFile(path, '');
	return path;
}

function settings(over: Partial<ConnectionSettings> = {}): ConnectionSettings {
	return { host: cluster.host, port: cluster.port, user: cluster.user, identity: cluster.identity, knownHosts: cluster.knownHosts, domain: cluster.domain, ...over };
}

/**
 * A TCP relay to the cluster's sshd that reports when the client side of a
 * connection closes: how a test learns, without waiting on a clock, that an
 * attempt gave up.
 */
async function relay(): Promise<{ port: number; closed: () => Promise<void>; connections: () => number }> {
	let count = 0;
	const waiting: Array<() => void> = [];
	let closes = 0;
	const server = createServer((client: Socket) => {
		count += 1;
		const upstream = netConnect({ host: cluster.host, port: cluster.port });
		client.pipe(upstream).pipe(client);
		const end = () => {
			client.destroy();
			upstream.destroy();
		};
		client.on('error', end);
		upstream.on('error', end);
		client.on('close', () => {
			end();
			closes += 1;
			waiting.shift()?.();
		});
	});
	servers.push(server);
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	return {
		port: (server.address() as { port: number }).port,
		closed: () => (closes > 0 ? Promise.resolve(void closes--) : new Promise<void>((done) => waiting.push(() => done(void closes--)))),
		connections: () => count,
	};
}

test('an attempt held at an unknown host key records nothing until its hold settles, then records it and connects', async () => {
	const knownHosts = await emptyKnownHosts();
	let reached!: () => void;
	const atHold = new Promise<void>((done) => (reached = done));
	let release!: () => void;
	const gate = new Promise<void>((done) => (release = done));
	const hold: PromiseLike<void> = {
		then: (onOpen, onFail) => {
			reached();
			return gate.then(onOpen, onFail);
		},
	};
	const connecting = connectHost(settings({ knownHosts, acceptNewHostKey: true }), { hold });
	await atHold;
	assert.equal(await readFile(knownHosts, 'utf8'), '', 'nothing recorded while held');
	release();
	const host = await connecting;
	try {
		assert.equal((await host.run(['echo', 'joined'])).stdout.trim(), 'joined');
		assert.match(await readFile(knownHosts, 'utf8'), /ssh-ed25519 /, 'recorded once the hold settled');
	} finally {
		await host.close();
	}
});

test('startConnect on a known host: the Connect step joins the connection made ahead, and hears the notices held for it', async () => {
	const loose = join(root, 'loose_key');
	await copyFile(cluster.identity, loose);
	await chmod(loose, 0o644);
	const early = startConnect(settings({ identity: loose, insecureKeyPermissions: true }), {});
	await early.dialled;
	const heard: string[] = [];
	const { host } = await early.join((message) => heard.push(message));
	try {
		assert.equal((await host.run(['echo', 'ok'])).stdout.trim(), 'ok');
		assert.equal(heard.length, 1, heard.join('\n'));
		assert.match(heard[0] as string, new RegExp(loose.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
	} finally {
		await host.close();
	}
});

test('startConnect at an unknown host key stops before asking; the join connects again and asks once, in the Connect step', async () => {
	const knownHosts = await emptyKnownHosts();
	const via = await relay();
	const asked: string[] = [];
	const early = startConnect(settings({ port: via.port, knownHosts }), {
		confirmHostKey: async (label) => {
			asked.push(label);
			return true;
		},
	});
	// The early attempt reaches the host key and gives up on its own: the relay sees it close.
	await via.closed();
	assert.deepEqual(asked, [], 'nothing asked before the join');
	assert.equal(await readFile(knownHosts, 'utf8'), '', 'nothing recorded before the join');
	const { host } = await early.join(() => undefined);
	try {
		assert.equal((await host.run(['echo', 'ok'])).stdout.trim(), 'ok');
		assert.deepEqual(asked, [`${cluster.user}@${cluster.host}:${via.port}`]);
		assert.equal(via.connections(), 2, 'one stopped attempt, one made by the join');
		assert.match(await readFile(knownHosts, 'utf8'), /ssh-ed25519 /);
	} finally {
		await host.close();
	}
});

test('an abandoned startConnect lets go of a host that never answers', async () => {
	let accepted!: (socket: Socket) => void;
	const connected = new Promise<Socket>((done) => (accepted = done));
	const silent = createServer((socket) => {
		socket.on('error', () => undefined);
		accepted(socket);
	});
	servers.push(silent);
	await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
	const port = (silent.address() as { port: number }).port;
	// No ConnectTimeout of its own would end it for an hour: only abandon() can.
	const early = startConnect(settings({ port, ssh: { alias: cluster.host, hostName: cluster.host, identityFiles: [], identitiesOnly: false, knownHostsFiles: [], connectTimeoutMs: 3_600_000 } }), {});
	const socket = await connected;
	const closed = new Promise<void>((done) => socket.once('close', () => done()));
	early.abandon();
	await closed;
	await early.dialled;
});
