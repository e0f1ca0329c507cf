/**
 * How the compiled CLI opens its SSH socket, seen in its system calls (strace).
 * With Nagle's algorithm on, SSH's small back-to-back packets wait for the
 * host's delayed ACK, ~40 ms each: a whole restore took 3.47 s instead of 2.58 s.
 *
 *   npm run build && node --import tsx --test test/e2e/ssh-socket.test.ts
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CLI } from '../support/cli.js';

let home: string;
let server: Server;

before(async () => {
	home = await mkdtemp(join(tmpdir(), 'ssh-socket-'));
	await mkdir(join(home, '.ssh'), { mode: 0o700 });
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(home, '.ssh', 'id_ed25519')]);
	// A host that closes at once: the socket is opened and set up, and the run ends with one sentence.
	server = createServer((socket) => socket.on('error', () => undefined).end());
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
});

after(async () => {
	await new Promise((done) => server.close(done));
	await rm(home, { recursive: true, force: true });
});

test('the SSH socket is set TCP_NODELAY, as OpenSSH sets its own', async () => {
	const port = (server.address() as { port: number }).port;
	const trace = join(home, 'strace.txt');
	const args = ['-f', '-qq', '-e', 'trace=connect,setsockopt', '-o', trace, process.execPath, CLI, 'backup', '--host', `127.0.0.1:${port}`, '--domain', 'example.com', '--out', join(home, 'out')];
	const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((done) => {
		const child = execFile('strace', args, { env: { ...process.env, HOME: home, SSH_AUTH_SOCK: '', NO_COLOR: '1' }, timeout: 60_000 }, (_error, _stdout, stderr) => done({ code: child.exitCode, stderr }));
	});
	// strace passes the CLI's exit code on: 1, the host closed the connection.
	assert.equal(code, 1, stderr);
	assert.match(stderr, /closed the connection before the SSH handshake/);
	const lines = (await readFile(trace, 'utf8')).split('\n');
	// "PID  connect(FD, {sa_family=AF_INET, sin_port=htons(PORT), …"
	const dial = lines.map((line) => new RegExp(`^(\\d+)\\s+connect\\((\\d+), \\{sa_family=AF_INET, sin_port=htons\\(${port}\\)`).exec(line)).find(Boolean);
	assert.ok(dial, `no connect() to port ${port} in:\n${lines.join('\n')}`);
	const [, pid, fd] = dial;
	const nodelay = lines.filter((line) => line.startsWith(`${pid} `) && line.includes(`setsockopt(${fd}, SOL_TCP, TCP_NODELAY, [1]`));
	assert.equal(nodelay.length, 1, `TCP_NODELAY on the socket to port ${port}:\n${lines.join('\n')}`);
});
