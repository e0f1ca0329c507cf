/**
 * A fault-injecting proxy on 127.0.0.1 for the reliability tests.
 *
 * TCP mode forwards bytes to a target and, per connection, applies a fault
 * chosen by the test's plan: pass, reset (RST) or truncate (clean FIN) after
 * N bytes towards the client, or stall (stop forwarding both ways, keep the
 * connection open). HTTP mode understands requests and can answer some of them
 * itself with S3's `503 SlowDown`, the way an overloaded gateway does.
 *
 * Every fault that actually fired is counted by kind, so a test can prove the
 * faults it meant to inject really happened.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export type Fault =
	| { kind: 'pass' }
	/** Forward `afterBytes` bytes, then reset both sides (RST). */
	| { kind: 'reset'; afterBytes: number; direction?: Direction }
	/** Forward `afterBytes` bytes, then close both sides cleanly (FIN): a cut-short answer. */
	| { kind: 'truncate'; afterBytes: number; direction?: Direction }
	/** Forward `afterBytes` bytes, then forward nothing more either way; the connection stays open. */
	| { kind: 'stall'; afterBytes: number; direction?: Direction };

/** Which bytes `afterBytes` counts: the answer (server to client, the default) or the request (client to server). */
export type Direction = 'down' | 'up';

export type FaultKind = Fault['kind'] | 'slowdown';

export interface ProxyStats {
	connections: number;
	/** Faults that fired, by kind ('pass' counts connections that were simply forwarded). */
	fired: Record<FaultKind, number>;
}

export interface FaultProxy {
	port: number;
	stats: ProxyStats;
	/** Replaces the plan for connections (TCP) or requests (HTTP) from now on. */
	setPlan(plan: (index: number) => Fault): void;
	close(): Promise<void>;
}

function emptyStats(): ProxyStats {
	return { connections: 0, fired: { pass: 0, reset: 0, truncate: 0, stall: 0, slowdown: 0 } };
}

/** A byte-level proxy: one fault per accepted connection, chosen by `plan(connectionIndex)`. */
export async function startFaultProxy(target: { host: string; port: number }, plan: (index: number) => Fault): Promise<FaultProxy> {
	let current = plan;
	const stats = emptyStats();
	const sockets = new Set<net.Socket>();
	const track = (socket: net.Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => {});
	};

	const server = net.createServer((client) => {
		const index = stats.connections++;
		const fault = current(index);
		track(client);
		const upstream = net.connect(target.port, target.host);
		track(upstream);
		let sent = 0;
		let fired = false;
		const fire = () => {
			if (fired) return;
			fired = true;
			stats.fired[fault.kind]++;
			if (fault.kind === 'reset') {
				client.resetAndDestroy();
				upstream.resetAndDestroy();
			} else if (fault.kind === 'truncate') {
				client.end();
				upstream.destroy();
			} else if (fault.kind === 'stall') {
				// Nothing more goes either way; both sockets stay open until someone gives up.
				client.pause();
				upstream.pause();
			}
		};
		if (fault.kind === 'pass') stats.fired.pass++;
		const direction = fault.kind === 'pass' ? 'down' : (fault.direction ?? 'down');
		/** Forwards a chunk in the faulted direction, firing once `afterBytes` have gone through. */
		const forward = (chunk: Buffer, to: net.Socket) => {
			if (fault.kind === 'pass') {
				to.write(chunk);
				return;
			}
			const room = fault.afterBytes - sent;
			if (room > 0) to.write(chunk.subarray(0, room));
			sent += Math.max(0, Math.min(room, chunk.length));
			if (sent >= fault.afterBytes) {
				// Let the bytes already written go out before the fault.
				if (to.writableLength === 0) fire();
				else to.once('drain', fire);
			}
		};
		client.on('data', (chunk: Buffer) => {
			if (fired) return;
			if (direction === 'up') forward(chunk, upstream);
			else upstream.write(chunk);
		});
		upstream.on('data', (chunk: Buffer) => {
			if (fired) return;
			if (direction === 'down') forward(chunk, client);
			else client.write(chunk);
		});
		if (fault.kind !== 'pass' && fault.afterBytes === 0) {
			if (fault.kind === 'stall') fire();
			else upstream.once('connect', fire);
		}
		client.on('end', () => {
			if (!fired) upstream.end();
		});
		upstream.on('end', () => {
			if (!fired) client.end();
		});
		client.on('close', () => upstream.destroy());
		upstream.on('close', () => {
			if (!(fired && fault.kind === 'stall')) client.destroy();
		});
	});

	await listen(server);
	return {
		port: (server.address() as AddressInfo).port,
		stats,
		setPlan: (next) => {
			current = next;
		},
		close: () => closeServer(server, sockets),
	};
}

export type HttpFault = 'pass' | 'slowdown';
/** Decides per request; `inFlight` counts the requests being answered (this one included), to model load. */
export type HttpPlan = (index: number, request: http.IncomingMessage, inFlight: number) => HttpFault;

/**
 * An HTTP proxy that decides per request: forward it, or answer `503 SlowDown`
 * itself (draining the request body first, as a gateway under load does).
 */
export async function startHttpFaultProxy(target: { host: string; port: number }, plan: HttpPlan): Promise<FaultProxy & { setHttpPlan(plan: HttpPlan): void }> {
	let current = plan;
	let requests = 0;
	let inFlight = 0;
	const stats = emptyStats();
	const sockets = new Set<net.Socket>();
	const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

	const server = http.createServer((req, res) => {
		const index = requests++;
		inFlight++;
		res.on('close', () => inFlight--);
		const decision = current(index, req, inFlight);
		stats.fired[decision]++;
		if (decision === 'slowdown') {
			const body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>fault-proxy</RequestId></Error>';
			req.resume();
			req.on('end', () => {
				res.writeHead(503, 'Slow Down', { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
				res.end(body);
			});
			return;
		}
		const upstream = http.request({ host: target.host, port: target.port, method: req.method, path: req.url, headers: req.headers, agent }, (up) => {
			res.writeHead(up.statusCode ?? 502, up.statusMessage, up.headers);
			up.pipe(res);
		});
		upstream.on('error', () => res.destroy());
		req.pipe(upstream);
	});
	server.on('connection', (socket: net.Socket) => {
		stats.connections++;
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	await listen(server);
	return {
		port: (server.address() as AddressInfo).port,
		stats,
		setPlan: () => {
			throw new Error('use setHttpPlan for an HTTP proxy');
		},
		setHttpPlan: (next) => {
			current = next;
		},
		close: async () => {
			agent.destroy();
			await closeServer(server, sockets);
		},
	};
}

function listen(server: net.Server): Promise<void> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
}

function closeServer(server: net.Server, sockets: Set<net.Socket>): Promise<void> {
	for (const socket of sockets) socket.destroy();
	return new Promise((resolve) => server.close(() => resolve()));
}
