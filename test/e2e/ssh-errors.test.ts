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
	let accepted!: (socket: Socket) => void;
	const reached = new Promise<Socket>((done) => (accepted = done));
	// Read, so that the client's close is seen.
	const port = await serve((socket) => accepted(socket.resume()));
	// ConnectTimeout of an hour: only letting go of the attempt lets this process end in time.
	const config = join(home, 'patient_config');
	await writeFile(config, `Host patient\n  HostName 127.0.0.1\n  Port ${port}\n  ConnectTimeout 3600\n`);
	const inTheWay = join(home, 'a-file');
	await writeFile(inTheWay, 'not a folder\n');
	const result = await runCli(['backup', '--host', 'patient', '-F', config, '--domain', 'example.com', '--out', inTheWay], { HOME: home, SSH_AUTH_SOCK: '' }, 60_000);
	assert.equal(result.code, 1, result.stderr);
	assert.match(result.stderr.trim().split('\n').at(-1) ?? '', /a-file exists and is not a folder; choose another with --out\./);
	// The connection was made ahead (the host saw it), and it is closed.
	const socket = await reached;
	if (!socket.destroyed) await new Promise((done) => socket.once('close', done));
});
