/**
 * Network failures before SSH gets going, through the compiled CLI: each is
 * one sentence saying what happened and what to check, never a library's
 * raw message. Local servers stand in for the far end: one refusing, one
 * closing or resetting at once, one that accepts and says nothing.
 *
 *   npm run build && node --import tsx --test test/e2e/ssh-errors.test.ts
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../support/cli.js';

let home: string;
const servers: Server[] = [];
const sockets = new Set<Socket>();

before(async () => {
	home = await mkdtemp(join(tmpdir(), 'ssh-errors-'));
	await mkdir(join(home, '.ssh'), { mode: 0o700 });
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(home, '.ssh', 'id_ed25519')]);
});

after(async () => {
	for (const socket of sockets) socket.destroy();
	await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
	await rm(home, { recursive: true, force: true });
});

async function serve(onConnection: (socket: Socket) => void): Promise<number> {
	const server = createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => undefined);
		onConnection(socket);
	});
	servers.push(server);
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	return (server.address() as { port: number }).port;
}

/** A host that accepts and never answers; its first connection is read, so that the client's close is seen. */
async function serveOne(): Promise<{ port: number; reached: Promise<Socket> }> {
	let accepted!: (socket: Socket) => void;
	const reached = new Promise<Socket>((done) => (accepted = done));
	const port = await serve((socket) => accepted(socket.resume()));
	return { port, reached };
}

async function closed(socket: Socket): Promise<void> {
	if (!socket.destroyed) await new Promise((done) => socket.once('close', done));
}

async function backupAt(host: string, extra: string[] = []) {
	const result = await runCli(['backup', '--host', host, '--domain', 'example.com', '--out', join(home, 'out'), ...extra], { HOME: home, SSH_AUTH_SOCK: '' }, 60_000);
	return { ...result, last: result.stderr.trim().split('\n').at(-1) ?? '' };
}

test('a port nobody listens on: nothing accepts SSH connections there', async () => {
	const port = await serve(() => undefined);
	await new Promise((done) => servers.pop()?.close(done));
	const result = await backupAt(`127.0.0.1:${port}`);
	assert.equal(result.code, 1, result.stderr);
	assert.match(result.last, new RegExp(`Nothing accepts SSH connections at 127\\.0\\.0\\.1:${port}; check the host and the SSH port`));
});

test('closed or reset before the handshake: one sentence naming the port to check, not the library\'s words', async () => {
	for (const [name, behave] of [
		['closed', (socket: Socket) => socket.end()],
		['reset', (socket: Socket) => socket.resetAndDestroy()],
	] as const) {
		const port = await serve(behave);
		const result = await backupAt(`127.0.0.1:${port}`);
		assert.equal(result.code, 1, `${name}: ${result.stderr}`);
		assert.match(result.last, new RegExp(`127\\.0\\.0\\.1:${port} closed the connection before the SSH handshake; check that ${port} is the SSH port`), name);
		assert.doesNotMatch(result.stderr, /Connection lost before handshake|No response from server|ECONNRESET/, name);
	}
});

test('a host that accepts and never speaks SSH gives up after ConnectTimeout, saying so', async () => {
	const port = await serve(() => undefined);
	const config = join(home, 'timeout_config');
	await writeFile(config, `Host silent\n  HostName 127.0.0.1\n  Port ${port}\n  ConnectTimeout 1\n`);
	const started = Date.now();
	const result = await backupAt('silent', ['-F', config]);
	assert.equal(result.code, 1, result.stderr);
	assert.match(result.last, new RegExp(`127\\.0\\.0\\.1:${port} accepted the connection but did not complete the SSH handshake within 1 s`));
	assert.ok(Date.now() - started < 15_000, 'ConnectTimeout, not the 15 s default, bounded the wait');
});

test('a name that does not resolve says so, naming the ssh config too', async () => {
	const result = await backupAt('no-such-host.invalid');
	assert.equal(result.code, 1, result.stderr);
	assert.match(result.last, /The host name no-such-host\.invalid does not resolve; check --host \(or HostName in the ssh config\)/);
});

test('a refused folder ends the run at once: the SSH connection started ahead of the plan is let go, though the host never answers', async () => {
	const { port, reached } = await serveOne();
	// ConnectTimeout of an hour: only letting go of the attempt lets this process end in time.
	const config = join(home, 'patient_config');
	await writeFile(config, `Host patient\n  HostName 127.0.0.1\n  Port ${port}\n  ConnectTimeout 3600\n`);
	const inTheWay = join(home, 'a-file');
	await writeFile(inTheWay, 'not a folder\n');
	const result = await runCli(['backup', '--host', 'patient', '-F', config, '--domain', 'example.com', '--out', inTheWay], { HOME: home, SSH_AUTH_SOCK: '' }, 60_000);
	assert.equal(result.code, 1, result.stderr);
	assert.match(result.stderr.trim().split('\n').at(-1) ?? '', /a-file exists and is not a folder; choose another with --out\./);
	// The connection was made ahead (the host saw it), and it is closed.
	await closed(await reached);
});

test('a key that cannot be read is said first and ends the run at once, though the connection was dialled before the keys were read', async () => {
	const { port, reached } = await serveOne();
	// ConnectTimeout of an hour: only closing the dialled socket lets this process end in time.
	const config = join(home, 'keyless_config');
	await writeFile(config, `Host keyless\n  HostName 127.0.0.1\n  Port ${port}\n  ConnectTimeout 3600\n`);
	const missing = join(home, 'no-such-key');
	const result = await backupAt('keyless', ['-F', config, '--identity', missing]);
	assert.equal(result.code, 1, result.stderr);
	assert.ok(result.last.endsWith(`Cannot read the SSH key ${missing}; check the path given with --identity.`), result.stderr);
	// The dial reached the host ahead of the keys, and it is closed.
	await closed(await reached);
});

test('a reset while the keys are read, after the dial and before the handshake, is the same one sentence', async () => {
	let accepted!: (socket: Socket) => void;
	const reached = new Promise<Socket>((done) => (accepted = done));
	const port = await serve((socket) => accepted(socket));
	// An SSH agent that holds the reading of keys until the dialled connection has been reset.
	const agentPath = join(home, 'agent.sock');
	const agent = createServer((client) => {
		client.once('data', async () => {
			const socket = await reached;
			await new Promise((done) => {
				socket.once('close', done);
				socket.resetAndDestroy();
			});
			// SSH2_AGENT_IDENTITIES_ANSWER with no keys.
			client.end(Buffer.from([0, 0, 0, 5, 12, 0, 0, 0, 0]));
		});
	});
	servers.push(agent);
	await new Promise<void>((done) => agent.listen(agentPath, done));
	const result = await runCli(['backup', '--host', `127.0.0.1:${port}`, '--domain', 'example.com', '--out', join(home, 'out')], { HOME: home, SSH_AUTH_SOCK: agentPath }, 60_000);
	const last = result.stderr.trim().split('\n').at(-1) ?? '';
	assert.equal(result.code, 1, result.stderr);
	assert.match(last, new RegExp(`127\\.0\\.0\\.1:${port} closed the connection before the SSH handshake`));
	assert.doesNotMatch(result.stderr, /ECONNRESET|Error:|    at /);
});
