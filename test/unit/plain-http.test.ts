import assert from 'node:assert/strict';
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { isTransient } from '../../source/steps/gateway/retry.js';
import { PlainHttp, parseHead, type BodyWriter, type ResponseHead } from '../../source/cluster/plain-http.js';

/** What the server does with each request it reads on a connection (the connection's number, the request's). */
type Answer = (socket: net.Socket, connection: number, request: number) => void;

let server: net.Server;
let port: number;
let answer: Answer;
let connections = 0;

before(async () => {
	server = net.createServer((socket) => {
		const connection = ++connections;
		let requests = 0;
		let text = '';
		socket.on('data', (data) => {
			text += data.toString('latin1');
			for (let end = text.indexOf('\r\n\r\n'); end >= 0; end = text.indexOf('\r\n\r\n')) {
				text = text.slice(end + 4);
				answer(socket, connection, ++requests);
			}
		});
		socket.on('error', () => undefined);
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	port = (server.address() as AddressInfo).port;
});

after(() => server.close());

function head(length: number, extra = ''): string {
	return `HTTP/1.1 200 OK\r\nContent-Length: ${length}\r\nETag: "e"\r\n${extra}\r\n`;
}

async function getAll(client: PlainHttp, sink?: (head: ResponseHead, chunks: Buffer[]) => (data: Buffer) => void, signal?: AbortSignal): Promise<{ head: ResponseHead; body: Buffer }> {
	const chunks: Buffer[] = [];
	const got = await client.request({ method: 'GET', target: '/b/k', headerLines: ['Host: x'] }, (h) => sink?.(h, chunks) ?? ((data) => void chunks.push(Buffer.from(data))), signal);
	return { head: got, body: Buffer.concat(chunks) };
}

test('keeps one connection alive across GETs, and takes heads and bodies split anywhere', async () => {
	connections = 0;
	const body = Buffer.alloc(200_000, 9);
	answer = (socket) => {
		// The head a byte at a time, then the body in uneven pieces.
		const text = head(body.length);
		for (const char of text) socket.write(char);
		socket.write(body.subarray(0, 3));
		socket.write(body.subarray(3, 70_000));
		socket.write(body.subarray(70_000));
	};
	const client = new PlainHttp({ host: '127.0.0.1', port, idleTimeoutMs: 5_000 });
	for (let i = 0; i < 3; i++) {
		const got = await getAll(client);
		assert.equal(got.head.status, 200);
		assert.equal(got.head.headers.etag, '"e"');
		assert.deepEqual(got.body, body);
	}
	assert.equal(connections, 1);
	client.destroy();
});

test('a kept-alive connection the server closed meanwhile is replaced without an error', async () => {
	connections = 0;
	answer = (socket, _connection, request) => {
		socket.write(`${head(2)}ok`);
		// Closed after its first answer, as a server's keep-alive timeout does.
		if (request === 1) socket.end();
	};
	const client = new PlainHttp({ host: '127.0.0.1', port, idleTimeoutMs: 5_000 });
	assert.equal((await getAll(client)).body.toString(), 'ok');
	// The close may or may not have reached us before the next GET: either way it must succeed.
	assert.equal((await getAll(client)).body.toString(), 'ok');
	assert.equal(connections, 2);
	client.destroy();
});

test('a body cut short fails as a transient error (the download retries it)', async () => {
	answer = (socket) => {
		socket.write(head(100));
		socket.end(Buffer.alloc(50));
	};
	const client = new PlainHttp({ host: '127.0.0.1', port, idleTimeoutMs: 5_000 });
	const error = await getAll(client).then(
		() => assert.fail('a short body must fail'),
		(e: unknown) => e,
	);
	assert.ok(isTransient(error), String(error));
	client.destroy();
});

test('a gateway that stops sending fails with a timeout after the idle limit', async () => {
	answer = (socket) => socket.write(`${head(100)}abc`);
	const client = new PlainHttp({ host: '127.0.0.1', port, idleTimeoutMs: 300 });
	const error = (await getAll(client).then(
		() => assert.fail('a stalled body must fail'),
		(e: unknown) => e,
	)) as Error & { code?: string };
	assert.equal(error.name, 'TimeoutError');
	assert.equal(error.code, 'ETIMEDOUT');
	assert.ok(isTransient(error));
	client.destroy();
});

test('the same works over a stream that is not a TCP socket (an SSH channel)', async () => {
	connections = 0;
	const body = Buffer.alloc(300_000, 5);
	answer = (socket) => socket.write(Buffer.concat([Buffer.from(head(body.length)), body]));
	let opened = 0;
	const client = new PlainHttp({
		host: 'unused',
		port: 1,
		idleTimeoutMs: 5_000,
		open: async () => {
			opened++;
			const socket = net.connect({ host: '127.0.0.1', port });
			await once(socket, 'connect');
			return socket;
		},
	});
	assert.deepEqual((await getAll(client)).body, body);
	assert.deepEqual((await getAll(client)).body, body);
	assert.equal(opened, 1);
	client.destroy();
});

test('an abort ends the GET with an AbortError and closes its connection', async () => {
	connections = 0;
	answer = (socket) => socket.write(`${head(100)}abc`);
	const client = new PlainHttp({ host: '127.0.0.1', port, idleTimeoutMs: 5_000 });
	const controller = new AbortController();
	const error = await getAll(
		client,
		() => () => {
			// The body stalls after its first piece: only the abort can end this GET.
			setImmediate(() => controller.abort());
		},
		controller.signal,
	).then(
		() => assert.fail('an aborted GET must fail'),
		(e: unknown) => e as Error,
	);
	assert.equal(error.name, 'AbortError');
	assert.ok(!isTransient(error));
	answer = (socket) => socket.write(`${head(2)}ok`);
	assert.equal((await getAll(client)).body.toString(), 'ok');
	assert.equal(connections, 2, 'the aborted connection is not reused');
	client.destroy();
});

test('bodies framed by chunks, or by the end of the connection, are read whole', async () => {
	const body = Buffer.from('0123456789'.repeat(3000));
	answer = (socket, _connection, request) => {
		if (request === 1) {
			// Chunks with an extension and a trailer, split at awkward places.
			const text = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${(10000).toString(16)};x=y\r\n${body.toString('latin1', 0, 10000)}\r\n${(20000).toString(16)}\r\n${body.toString('latin1', 10000)}\r\n0\r\nX-Trailer: t\r\n\r\n`;
			for (let at = 0; at < text.length; at += 997) socket.write(text.slice(at, at + 997), 'latin1');
		} else {
			socket.end(Buffer.concat([Buffer.from('HTTP/1.0 200 OK\r\n\r\n'), body]));
		}
	};
	const client = new PlainHttp({ host: '127.0.0.1', port, idleTimeoutMs: 5_000 });
	const chunked = await getAll(client);
	assert.equal(chunked.head.length, undefined);
	assert.deepEqual(chunked.body, body);
	// The chunked answer left the connection reusable; the next answer ends with it.
	const untilEnd = await getAll(client);
	assert.deepEqual(untilEnd.body, body);
	client.destroy();
});

test('a PUT body goes out from the writer, and a refusal that comes before all of it ends the writer', async () => {
	connections = 0;
	let received = 0;
	answer = () => undefined;
	server.once('connection', (socket) => {
		socket.on('data', (data) => {
			received += data.length;
			// Refused at once, as nginx refuses a body over its limit (413, then it closes).
			if (received > 1000 && !socket.destroyed) socket.end('HTTP/1.1 413 Request Entity Too Large\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbig!');
		});
	});
	const client = new PlainHttp({ host: '127.0.0.1', port, idleTimeoutMs: 5_000 });
	let sends = 0;
	const writer: BodyWriter = async (send) => {
		for (let i = 0; i < 10_000; i++) {
			await send(Buffer.alloc(64 * 1024, 1));
			sends++;
		}
	};
	const chunks: Buffer[] = [];
	const head = await client.request({ method: 'PUT', target: '/b/k', headerLines: ['Host: x', `Content-Length: ${10_000 * 64 * 1024}`], body: writer }, () => (data) => void chunks.push(Buffer.from(data)));
	assert.equal(head.status, 413);
	assert.equal(Buffer.concat(chunks).toString(), 'big!');
	// The writer stops at its next send instead of pushing 640 MB at a closed connection.
	await new Promise((resolve) => setImmediate(resolve));
	assert.ok(sends < 10_000, `the writer stopped (after ${sends} sends)`);
	client.destroy();
});

test('heads are parsed as HTTP/1.1 answers, and anything else is refused', () => {
	assert.throws(() => parseHead('SSH-2.0-OpenSSH_9.2'), /not HTTP/);
	assert.throws(() => parseHead('HTTP/1.1 200 OK\r\nContent-Length: 12x'), /bad Content-Length/);
	assert.deepEqual(parseHead('HTTP/1.1 404 Not Found\r\nContent-Length: 12\r\nX-A:  b '), { status: 404, headers: { 'content-length': '12', 'x-a': 'b' }, length: 12 });
	assert.equal(parseHead('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5').length, undefined, 'chunked wins over a length');
	assert.equal(parseHead('HTTP/1.0 200 OK\r\nContent-Length: 1').headers.connection, 'close');
});
