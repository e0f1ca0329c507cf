/**
 * The router in front of the store gateway (deis-store.<domain>): an HTTP proxy
 * that behaves like Deis' nginx router for what the procedure meets — it
 * answers only while a router unit runs, says 502 while no gateway runs, and
 * refuses bodies over etcd /deis/router/bodySize (default 1m) with 413.
 * It also admits only this cluster's gateway key: the s3rver process behind it
 * serves every demo cluster of the process and would take any of their keys.
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Transform } from 'node:stream';

export interface RouterOptions {
	upstreamPort: number;
	routerUp(): boolean;
	gatewayUp(): boolean;
	/** nginx size syntax: `1m`, `100m`, `512k`, `0` (no limit). */
	bodySize(): string;
	/** The one access key this cluster's gateway knows. */
	accessKey: string;
}

export interface Router {
	port: number;
	close(): Promise<void>;
}

export function parseNginxSize(size: string): number {
	const m = /^(\d+)([kKmMgG]?)$/.exec(size.trim());
	if (!m) return 1024 * 1024;
	const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
	const n = Number(m[1]) * unit;
	return n === 0 ? Infinity : n;
}

function nginxPage(status: number, title: string): string {
	return `<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

function refuse(req: IncomingMessage, res: ServerResponse, status: number, title: string): void {
	const body = nginxPage(status, title);
	res.writeHead(status, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body), Connection: 'close', Server: 'nginx' });
	res.end(body);
	// like nginx's lingering close: read and drop the rest so the client sees the answer, not a reset
	req.resume();
}

/** The access key a request is signed with (SigV4 or V2, header or query), if any. */
export function requestAccessKey(req: IncomingMessage): string | undefined {
	const auth = req.headers.authorization;
	if (auth) return /Credential=([^/,\s]+)\//.exec(auth)?.[1] ?? /^AWS ([^:\s]+):/.exec(auth)?.[1] ?? '';
	const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
	return query.get('X-Amz-Credential')?.split('/')[0] ?? query.get('AWSAccessKeyId') ?? undefined;
}

function s3Error(res: ServerResponse, status: number, code: string, message: string): void {
	const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
	res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
	res.end(body);
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'expect', 'proxy-connection', 'upgrade'];

export async function startRouter(opts: RouterOptions): Promise<Router> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
	const sockets = new Set<Socket>();

	/** Answers before forwarding; true when the request was refused. */
	const gate = (req: IncomingMessage, res: ServerResponse): boolean => {
		if (!opts.routerUp()) {
			req.socket.destroy();
			return true;
		}
		const length = Number(req.headers['content-length'] ?? 0);
		if (length > parseNginxSize(opts.bodySize())) {
			refuse(req, res, 413, 'Request Entity Too Large');
			return true;
		}
		if (!opts.gatewayUp()) {
			refuse(req, res, 502, 'Bad Gateway');
			return true;
		}
		const key = requestAccessKey(req);
		if (key !== undefined && key !== opts.accessKey) {
			s3Error(res, 403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
			req.resume();
			return true;
		}
		return false;
	};

	const forward = (req: IncomingMessage, res: ServerResponse) => {
		const headers = { ...req.headers };
		for (const h of HOP_BY_HOP) delete headers[h];
		const limit = parseNginxSize(opts.bodySize());
		const upstream = http.request({ host: '127.0.0.1', port: opts.upstreamPort, method: req.method, path: req.url, headers, agent }, (up) => {
			const out = { ...up.headers };
			delete out.connection;
			delete out['keep-alive'];
			res.writeHead(up.statusCode ?? 502, up.statusMessage, out);
			up.pipe(res);
		});
		upstream.on('error', () => {
			if (!res.headersSent) refuse(req, res, 502, 'Bad Gateway');
			else res.destroy();
		});
		// a chunked body has no length up front: count it as it streams
		let seen = 0;
		const counter = new Transform({
			transform(chunk: Buffer, _enc, cb) {
				seen += chunk.length;
				if (seen > limit) {
					upstream.destroy();
					if (!res.headersSent) refuse(req, res, 413, 'Request Entity Too Large');
					return cb();
				}
				cb(null, chunk);
			},
		});
		req.pipe(counter).pipe(upstream);
	};

	const server = http.createServer((req, res) => {
		if (!gate(req, res)) forward(req, res);
	});
	// nginx answers 413 at once, without inviting the body with 100 Continue
	server.on('checkContinue', (req, res) => {
		if (gate(req, res)) return;
		res.writeContinue();
		forward(req, res);
	});
	server.on('connection', (s: Socket) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	return {
		port: (server.address() as AddressInfo).port,
		close: async () => {
			for (const s of sockets) s.destroy();
			agent.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
