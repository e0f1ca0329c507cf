/**
 * HTTP/1.1 requests on plain keep-alive connections: what the tool sends the
 * gateway (GETs and PUTs of objects, listings), and a response parser made for
 * what it answers. A response body is handed to the caller's sink straight from
 * the connection's read buffer, and a request body is written from the
 * caller's own buffers, which it reuses once the connection has taken them:
 * no IncomingMessage, ClientRequest, stream or Buffer per chunk.
 *
 * Why not Node's http: on a download its client cost more CPU than the rest of
 * our work, and the client shares its cores with the gateway. A paired probe
 * on 1 GB of 8-64 MB objects: 2.6 s of CPU through http, 1.4 s here, both
 * hashing; 1.1 vs 0.44 s for 2,000 small objects drained.
 */
import net from 'node:net';
import type { Duplex } from 'node:stream';

export interface ResponseHead {
	status: number;
	/** Header names in lower case; a repeated header keeps its last value. */
	headers: Record<string, string>;
	/** The announced body length; undefined for a chunked body or one that ends with the connection. */
	length?: number;
}

/**
 * Takes a body piece by piece. `data` is only valid during the call (the
 * connection reuses its buffer): a sink copies what it keeps, or consumes it
 * before returning (hashes it, writes it synchronously).
 */
export type BodySink = (data: Buffer) => void;

export type SinkMaker = (head: ResponseHead) => BodySink;

/**
 * Writes a request body through `send`, which resolves once the connection
 * has taken the piece, so that its buffer may be filled again.
 */
export type BodyWriter = (send: (data: Buffer) => Promise<void>) => Promise<void>;

export interface PlainRequest {
	method: 'GET' | 'PUT';
	/** Path and query, escaped. */
	target: string;
	/** `Name: value` lines, Host and Content-Length among them. */
	headerLines: readonly string[];
	body?: Buffer | BodyWriter;
}

export interface PlainHttpOptions {
	host: string;
	port: number;
	/** Opens a connection some other way (an SSH channel to the router) instead of TCP to host:port. */
	open?: () => Promise<Duplex>;
	idleTimeoutMs: number;
}

/**
 * Every TCP connection reads into this one buffer. That is safe because a read
 * is handed on synchronously (sinks copy what they keep before returning) and
 * the next read, of whichever connection, only starts after that: one buffer
 * instead of one per connection (32 × 256 KiB).
 */
let sharedReadBuffer: Buffer | undefined;
const READ_BUFFER_BYTES = 256 * 1024;
/** A response head (or a chunk-size line) larger than this is not an S3 answer. */
const MAX_HEAD_BYTES = 64 * 1024;

export class PlainHttp {
	private readonly idle: Connection[] = [];
	private destroyed = false;

	constructor(private readonly options: PlainHttpOptions) {}

	/** Sends the request and feeds the answer's body to the sink `onHead` makes; resolves with the head once the body has been taken. */
	async request(request: PlainRequest, onHead: SinkMaker, signal?: AbortSignal): Promise<ResponseHead> {
		signal?.throwIfAborted();
		for (;;) {
			const reused = this.takeIdle();
			const connection = reused ?? (await this.connect());
			try {
				const head = await connection.exchange(request, onHead, signal);
				if (connection.reusable && !this.destroyed) this.idle.push(connection.rest());
				else connection.destroy();
				return head;
			} catch (error) {
				connection.destroy();
				// A kept-alive connection the server closed meanwhile fails before any answer: a request
				// that can be sent again as it was (no body, or one in memory) is, once, on a new connection.
				const again = request.body === undefined || Buffer.isBuffer(request.body);
				if (reused && again && !connection.answered && !signal?.aborted) continue;
				throw error;
			}
		}
	}

	destroy(): void {
		this.destroyed = true;
		for (const connection of this.idle.splice(0)) connection.destroy();
	}

	private takeIdle(): Connection | undefined {
		for (let connection = this.idle.pop(); connection; connection = this.idle.pop()) {
			if (connection.reusable) return connection.wake();
			connection.destroy();
		}
		return undefined;
	}

	private async connect(): Promise<Connection> {
		if (this.destroyed) throw Object.assign(new Error('the gateway client was closed'), { name: 'AbortError' });
		if (this.options.open) return new Connection(await this.options.open(), undefined, this.options.idleTimeoutMs);
		const buffer = (sharedReadBuffer ??= Buffer.allocUnsafe(READ_BUFFER_BYTES));
		let connection: Connection | undefined;
		const socket = net.connect({
			host: this.options.host,
			port: this.options.port,
			noDelay: true,
			// Reads land in the shared buffer: no allocation per chunk.
			onread: {
				buffer,
				callback: (length: number) => {
					(connection as Connection).received(buffer.subarray(0, length));
					// Never paused: every sink takes its piece before returning.
					return true;
				},
			},
		});
		connection = new Connection(socket, socket, this.options.idleTimeoutMs);
		return connection;
	}
}

type Phase = 'idle' | 'head' | 'body';

/** One connection and the one exchange in flight on it. */
class Connection {
	reusable = true;
	/** Whether any byte of the current answer arrived. */
	answered = false;
	private phase: Phase = 'idle';
	private pending: Buffer | undefined;
	private body: BodyDecoder | undefined;
	private sink: BodySink | undefined;
	private settle: ((error?: Error, head?: ResponseHead) => void) | undefined;
	private response: ResponseHead | undefined;
	private onHead: SinkMaker | undefined;
	private bodySent = true;
	private timer: NodeJS.Timeout | undefined;

	constructor(
		private readonly stream: Duplex,
		private readonly socket: net.Socket | undefined,
		private readonly idleTimeoutMs: number,
	) {
		if (!socket) stream.on('data', (data: Buffer) => this.received(data));
		stream.on('error', (error) => this.fail(error));
		// A body that runs until the connection ends is complete at its end; any other answer is cut short.
		stream.on('end', () => {
			if (this.phase === 'body' && this.body?.untilEnd) this.complete();
			stream.end();
		});
		stream.on('close', () => {
			this.reusable = false;
			this.fail(Object.assign(new Error('the gateway closed the connection before its answer was complete'), { code: 'ECONNRESET' }));
		});
	}

	exchange(request: PlainRequest, onHead: SinkMaker, signal?: AbortSignal): Promise<ResponseHead> {
		return new Promise<ResponseHead>((resolve, reject) => {
			if (this.stream.destroyed) {
				reject(Object.assign(new Error('the kept-alive connection was closed'), { code: 'ECONNRESET' }));
				return;
			}
			const onAbort = () => this.fail(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }));
			signal?.addEventListener('abort', onAbort, { once: true });
			this.settle = (error, head) => {
				signal?.removeEventListener('abort', onAbort);
				this.stopTimer();
				this.settle = undefined;
				this.sink = undefined;
				this.body = undefined;
				this.onHead = undefined;
				if (error) reject(error);
				else resolve(head as ResponseHead);
			};
			this.onHead = onHead;
			this.phase = 'head';
			this.answered = false;
			this.startTimer();
			this.send(request);
		});
	}

	private send(request: PlainRequest): void {
		const head = `${request.method} ${request.target} HTTP/1.1\r\n${request.headerLines.join('\r\n')}\r\n\r\n`;
		const body = request.body;
		if (typeof body !== 'function') {
			this.bodySent = true;
			this.socket?.cork();
			this.stream.write(head);
			if (body && body.length > 0) this.stream.write(body);
			this.socket?.uncork();
			return;
		}
		this.bodySent = false;
		this.stream.write(head);
		const settle = this.settle;
		const send = (data: Buffer) =>
			new Promise<void>((resolve, reject) => {
				// The gateway answered (a refusal) before the whole body went: the rest is not sent.
				if (this.settle !== settle) return reject(Object.assign(new Error('the gateway answered before the body was sent'), { name: 'AbortError' }));
				this.stream.write(data, (error) => {
					if (error) return reject(error);
					// A body going out is activity: the gateway answers only once it has all of it.
					this.timer?.refresh();
					resolve();
				});
			});
		body(send).then(
			() => {
				if (this.settle === settle) this.bodySent = true;
			},
			(error: Error) => {
				if (this.settle === settle) this.fail(error);
			},
		);
	}

	/** Bytes from the connection. */
	received(data: Buffer): void {
		this.timer?.refresh();
		if (this.phase === 'idle') {
			// Nothing was asked: a server that talks out of turn cannot be trusted with the next request.
			if (data.length > 0) this.destroy();
			return;
		}
		this.answered = true;
		try {
			while (data.length > 0 && this.phase === 'head') {
				const rest = this.takeHead(data);
				if (rest === undefined) return;
				data = rest;
			}
			if (this.phase === 'body') this.takeBody(data);
			// Bytes after a complete answer: pipelining is never used, so they cannot be trusted.
			else if (data.length > 0) this.reusable = false;
		} catch (error) {
			this.fail(error as Error);
		}
	}

	/** What follows the head in `data`, or undefined while the head is incomplete. */
	private takeHead(data: Buffer): Buffer | undefined {
		const previous = this.pending?.length ?? 0;
		// Usually the whole head is in one read, and is parsed where it lies; a head split across
		// reads is gathered in a copy, as the read buffer is reused for the next read.
		const all = this.pending ? Buffer.concat([this.pending, data]) : data;
		const end = all.indexOf('\r\n\r\n', Math.max(0, previous - 3), 'latin1');
		if (end < 0) {
			if (all.length > MAX_HEAD_BYTES) throw protocolError('a response head larger than 64 KiB');
			this.pending = Buffer.from(all);
			return undefined;
		}
		this.pending = undefined;
		const response = parseHead(all.toString('latin1', 0, end));
		const rest = all.subarray(end + 4);
		// An interim answer (100 Continue) is followed by the real one.
		if (response.status < 200) return rest;
		this.response = response;
		if (/close/i.test(response.headers.connection ?? '')) this.reusable = false;
		this.body = new BodyDecoder(response);
		if (this.body.untilEnd) this.reusable = false;
		this.phase = 'body';
		this.sink = (this.onHead as SinkMaker)(response);
		if (this.body.done) this.complete();
		return rest;
	}

	private takeBody(data: Buffer): void {
		const decoder = this.body as BodyDecoder;
		const extra = decoder.decode(data, this.sink as BodySink);
		if (decoder.done) {
			// More than the answer: pipelining is never used, so it cannot be trusted.
			if (extra > 0) this.reusable = false;
			this.complete();
		}
	}

	private complete(): void {
		this.phase = 'idle';
		// Answered before the whole request body went (a refusal): the connection is mid-request.
		if (!this.bodySent) this.reusable = false;
		this.settle?.(undefined, this.response);
	}

	/** An idle connection does not keep the process alive (as Node's agent does with its free sockets). */
	rest(): this {
		this.socket?.unref();
		return this;
	}

	wake(): this {
		this.socket?.ref();
		return this;
	}

	private startTimer(): void {
		this.timer = setTimeout(() => {
			this.fail(Object.assign(new Error(`no answer from the gateway for ${this.idleTimeoutMs} ms`), { name: 'TimeoutError', code: 'ETIMEDOUT' }));
		}, this.idleTimeoutMs);
		this.timer.unref();
	}

	private stopTimer(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
	}

	private fail(error: Error): void {
		this.reusable = false;
		const settle = this.settle;
		if (settle) {
			this.phase = 'idle';
			settle(error);
			this.destroy();
		}
	}

	destroy(): void {
		this.reusable = false;
		this.stopTimer();
		if (!this.stream.destroyed) this.stream.destroy();
	}
}

/** A response body's framing: an announced length, chunks, or the rest of the connection. */
class BodyDecoder {
	readonly untilEnd: boolean;
	done = false;
	private readonly chunked: boolean;
	/** Bytes left of the body (length) or of the current chunk's data. */
	private left: number;
	private state: 'size' | 'data' | 'data-end' | 'trailer' = 'size';
	private line = '';

	constructor(head: ResponseHead) {
		const noBody = head.status === 204 || head.status === 304;
		this.chunked = !noBody && /(^|,)\s*chunked\s*$/i.test(head.headers['transfer-encoding'] ?? '');
		this.untilEnd = !noBody && !this.chunked && head.length === undefined;
		this.left = noBody ? 0 : (head.length ?? 0);
		this.done = noBody || (!this.chunked && !this.untilEnd && this.left === 0);
	}

	/** Hands the body's bytes in `data` to `take`; returns how many bytes of `data` came after the body. */
	decode(data: Buffer, take: (piece: Buffer) => void): number {
		if (this.untilEnd) {
			take(data);
			return 0;
		}
		if (!this.chunked) {
			const piece = data.length > this.left ? data.subarray(0, this.left) : data;
			this.left -= piece.length;
			if (piece.length > 0) take(piece);
			if (this.left === 0) this.done = true;
			return data.length - piece.length;
		}
		let at = 0;
		while (at < data.length && !this.done) {
			if (this.state === 'data') {
				const n = Math.min(this.left, data.length - at);
				take(data.subarray(at, at + n));
				at += n;
				this.left -= n;
				if (this.left === 0) this.state = 'data-end';
				continue;
			}
			// Size lines, the CRLF after each chunk's data and the trailers are read as text lines.
			const newline = data.indexOf(10, at);
			const end = newline < 0 ? data.length : newline + 1;
			this.line += data.toString('latin1', at, end);
			at = end;
			if (this.line.length > MAX_HEAD_BYTES) throw protocolError('a chunk line larger than 64 KiB');
			if (newline < 0) break;
			const line = this.line.trim();
			this.line = '';
			if (this.state === 'data-end') {
				if (line !== '') throw protocolError('a chunk longer than its size');
				this.state = 'size';
			} else if (this.state === 'size') {
				const size = /^([0-9a-f]{1,12})(;.*)?$/i.exec(line);
				if (!size) throw protocolError(`a bad chunk size ${JSON.stringify(line.slice(0, 40))}`);
				this.left = Number.parseInt(size[1] as string, 16);
				this.state = this.left === 0 ? 'trailer' : 'data';
			} else if (line === '') {
				this.done = true;
			}
		}
		return data.length - at;
	}
}

function protocolError(what: string): Error {
	return Object.assign(new Error(`the gateway sent ${what}`), { code: 'EPROTO' });
}

/** The status line and headers of an answer. */
export function parseHead(text: string): ResponseHead {
	const lines = text.split('\r\n');
	const status = /^HTTP\/1\.([01]) (\d{3})/.exec(lines[0] ?? '');
	if (!status) throw protocolError(`something that is not HTTP/1.1: ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`);
	const headers: Record<string, string> = {};
	for (let i = 1; i < lines.length; i++) {
		const line = lines[i] as string;
		const colon = line.indexOf(':');
		if (colon <= 0) continue;
		headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	// HTTP/1.0 closes after the answer unless it says otherwise.
	if (status[1] === '0' && !/keep-alive/i.test(headers.connection ?? '')) headers.connection = 'close';
	const length = headers['content-length'];
	const chunked = headers['transfer-encoding'] !== undefined;
	if (length !== undefined && !chunked && !/^\d{1,15}$/.test(length)) throw protocolError(`a bad Content-Length ${JSON.stringify(length.slice(0, 40))}`);
	return { status: Number(status[2]), headers, length: length === undefined || chunked ? undefined : Number(length) };
}
