/**
 * The router in front of the store gateway (deis-store.<domain>): an HTTP proxy
 * that behaves like Deis' nginx router for what the procedure meets — it
 * answers only while a router unit runs, says 502 while no gateway runs, and
 * refuses bodies over etcd /deis/router/bodySize (default 1m) with 413.
 * It also admits only this cluster's gateway key: the s3rver process behind it
 * serves every demo cluster of the process and would take any of their keys.
 *
 * s3rver is a modern S3, so the router also answers what the radosgw of every
 * Deis v1 release (Ceph firefly, hammer, infernalis) would: an Authorization
 * other than AWS v2 is 400 InvalidArgument, a v4 presigned query is anonymous
 * (403 AccessDenied), and the ListObjectsV2 parameters are unknown, so they are
 * dropped and a v1 listing comes back. `gateway: 'modern'` (Jewel or later)
 * lets v4 and ListObjectsV2 through.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
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
	/** The one access key this cluster's gateway knows, and its secret (the router checks v2 signatures itself). */
	accessKey: string;
	secretKey: string;
	/** Which radosgw the gateway behaves as. */
	gateway: GatewayGeneration;
}

/** `firefly`: AWS v2 and v1 listings only, as in every Deis v1 release. `modern`: v4 and ListObjectsV2 too. */
export type GatewayGeneration = 'firefly' | 'modern';

/** Not signed sub-resources, so dropping them keeps a v2 signature valid. */
const LIST_V2_PARAMS = new Set(['list-type', 'continuation-token', 'start-after', 'fetch-owner']);

/** The request target without the ListObjectsV2 parameters; the path and the other parameters stay byte for byte. */
export function withoutListV2Params(url: string): string {
	const q = url.indexOf('?');
	if (q < 0) return url;
	const kept = url
		.slice(q + 1)
		.split('&')
		.filter((p) => p !== '' && !LIST_V2_PARAMS.has(p.split('=')[0]!));
	return kept.length ? `${url.slice(0, q)}?${kept.join('&')}` : url.slice(0, q);
}

/** Query parameters that are part of a v2 signature's resource. */
const V2_SUB_RESOURCES = new Set([
	'acl', 'cors', 'delete', 'lifecycle', 'location', 'logging', 'notification', 'partNumber', 'policy', 'requestPayment',
	'restore', 'tagging', 'torrent', 'uploadId', 'uploads', 'versionId', 'versioning', 'versions', 'website',
	'response-cache-control', 'response-content-disposition', 'response-content-encoding', 'response-content-language',
	'response-content-type', 'response-expires',
]);

/**
 * Whether a header-signed v2 request ("AWS key:signature") is signed with
 * `secretKey`, by the S3 developer guide's string to sign: the Date header
 * unless x-amz-date is given, x-amz-* headers, the path as sent and its
 * sub-resources. Checked here because s3rver leaves the date out of the string
 * it signs, so it would refuse every correctly signed request that has one.
 */
export function v2SignatureValid(req: IncomingMessage, secretKey: string): boolean {
	const auth = req.headers.authorization ?? '';
	const given = auth.slice(auth.indexOf(':') + 1);
	const url = req.url ?? '/';
	const q = url.indexOf('?');
	const sub = (q < 0 ? [] : url.slice(q + 1).split('&'))
		.map((p) => {
			const eq = p.indexOf('=');
			const name = decodeURIComponent(eq < 0 ? p : p.slice(0, eq));
			return { name, text: eq < 0 ? name : `${name}=${decodeURIComponent(p.slice(eq + 1))}` };
		})
		.filter((p) => V2_SUB_RESOURCES.has(p.name))
		.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
		.map((p) => p.text);
	const header = (name: string) => {
		const v = req.headers[name];
		return Array.isArray(v) ? v.join(',') : (v ?? '');
	};
	const amz = Object.keys(req.headers)
		.filter((h) => h.startsWith('x-amz-'))
		.sort()
		.map((h) => `${h}:${header(h).trim()}\n`)
		.join('');
	const date = req.headers['x-amz-date'] === undefined ? header('date') : '';
	const resource = `${q < 0 ? url : url.slice(0, q)}${sub.length ? `?${sub.join('&')}` : ''}`;
	const stringToSign = `${req.method}\n${header('content-md5')}\n${header('content-type')}\n${date}\n${amz}${resource}`;
	const expected = createHmac('sha1', secretKey).update(stringToSign, 'utf8').digest();
	const provided = Buffer.from(given, 'base64');
	return provided.length === expected.length && timingSafeEqual(provided, expected);
}

/** What an old radosgw refuses before it looks at a signature; undefined when it would go on. */
function oldGatewayRefusal(req: IncomingMessage): { status: number; code: string } | undefined {
	const auth = req.headers.authorization;
	// RGW_Auth_S3::authorize: anything but "AWS key:signature" is -EINVAL.
	if (auth !== undefined && !auth.startsWith('AWS ')) return { status: 400, code: 'InvalidArgument' };
	const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
	if (query.has('X-Amz-Algorithm') || query.has('X-Amz-Credential') || query.has('X-Amz-Signature')) return { status: 403, code: 'AccessDenied' };
	return undefined;
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

function s3Error(res: ServerResponse, status: number, code: string, message?: string): void {
	const detail = message === undefined ? '' : `<Message>${message}</Message>`;
	const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code>${detail}</Error>`;
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
		const refusal = opts.gateway === 'firefly' ? oldGatewayRefusal(req) : undefined;
		if (refusal) {
			s3Error(res, refusal.status, refusal.code);
			req.resume();
			return true;
		}
		const key = requestAccessKey(req);
		if (key !== undefined && key !== opts.accessKey) {
			s3Error(res, 403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
			req.resume();
			return true;
		}
		if (req.headers.authorization?.startsWith('AWS ') && !v2SignatureValid(req, opts.secretKey)) {
			s3Error(res, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
			req.resume();
			return true;
		}
		return false;
	};

	const forward = (req: IncomingMessage, res: ServerResponse) => {
		const headers = { ...req.headers };
		for (const h of HOP_BY_HOP) delete headers[h];
		// checked by gate(); s3rver serves an unsigned request to its one account
		if (headers.authorization?.startsWith('AWS ')) delete headers.authorization;
		const limit = parseNginxSize(opts.bodySize());
		const path = opts.gateway === 'firefly' ? withoutListV2Params(req.url ?? '/') : req.url;
		const upstream = http.request({ host: '127.0.0.1', port: opts.upstreamPort, method: req.method, path, headers, agent }, (up) => {
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
