/**
 * A small S3 gateway that keeps objects in memory, for the hostile-key tests.
 *
 * The demo gateway (s3rver) stores objects as files named after their keys,
 * so it cannot hold keys such as `../x`, `/leading` or `a//b` (it resolves or
 * refuses them, as a filesystem must). Ceph's gateway and S3 keep keys as
 * opaque strings; this stand-in does too, so the tests can prove deis-backup
 * round-trips any key exactly. It answers the calls the tool makes:
 * ListBuckets, HeadBucket, CreateBucket, ListObjects (v1, by marker), Get/Head/PutObject.
 * Like a Deis v1 gateway it takes only AWS v2 authorization (SigV4 gets 400
 * InvalidArgument) and lists only in v1 form; requests must carry the gateway's
 * access key.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface MemoryGateway {
	endpoint: string;
	port: number;
	buckets: Map<string, Map<string, Buffer>>;
	/** Every request as method + decoded bucket/key, for assertions. */
	requests: string[];
	close(): Promise<void>;
}

function xmlText(value: string): string {
	return value.replace(/[&<>"']|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => {
		const named: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
		return named[c] ?? `&#x${c.charCodeAt(0).toString(16)};`;
	}).replace(/\r/g, '&#xd;');
}

function etagOf(body: Buffer): string {
	return createHash('md5').update(body).digest('hex');
}

/** Removes aws-chunked framing (`<hex size>;chunk-signature=...\r\n<data>\r\n`), when the SDK used it. */
function decodeAwsChunked(raw: Buffer): Buffer {
	const parts: Buffer[] = [];
	let at = 0;
	for (;;) {
		const lineEnd = raw.indexOf('\r\n', at);
		if (lineEnd < 0) break;
		const size = Number.parseInt(raw.subarray(at, lineEnd).toString('latin1').split(';')[0] ?? '0', 16);
		if (!size) break;
		parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
		at = lineEnd + 2 + size + 2;
	}
	return Buffer.concat(parts);
}

export async function startMemoryGateway(accessKey: string, seed: Record<string, Record<string, Buffer | string>> = {}): Promise<MemoryGateway> {
	const buckets = new Map<string, Map<string, Buffer>>();
	for (const [bucket, objects] of Object.entries(seed)) {
		buckets.set(bucket, new Map(Object.entries(objects).map(([key, body]) => [key, Buffer.isBuffer(body) ? body : Buffer.from(body)])));
	}
	const requests: string[] = [];
	const sockets = new Set<Socket>();

	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const send = (status: number, body = '', headers: Record<string, string | number> = {}) => {
				res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body), ...headers });
				res.end(req.method === 'HEAD' ? undefined : body);
			};
			const error = (status: number, code: string) => send(status, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`);
			const authorization = req.headers.authorization ?? '';
			if (!authorization.startsWith('AWS ')) return error(400, 'InvalidArgument');
			if (!authorization.startsWith(`AWS ${accessKey}:`)) return error(403, 'InvalidAccessKeyId');

			const rawUrl = req.url ?? '/';
			const queryAt = rawUrl.indexOf('?');
			const path = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
			const query = new URLSearchParams(queryAt < 0 ? '' : rawUrl.slice(queryAt + 1));
			const slash = path.indexOf('/', 1);
			const bucketName = decodeURIComponent(slash < 0 ? path.slice(1) : path.slice(1, slash));
			// S3 keys are never empty: `/bucket` and `/bucket/` both name the bucket.
			const rest = slash < 0 ? '' : decodeURIComponent(path.slice(slash + 1));
			const key = rest === '' ? undefined : rest;
			requests.push(`${req.method} ${bucketName}${key === undefined ? '' : `/${key}`}`);

			if (!bucketName) {
				const list = [...buckets.keys()].map((name) => `<Bucket><Name>${xmlText(name)}</Name><CreationDate>2016-03-01T00:00:00.000Z</CreationDate></Bucket>`).join('');
				return send(200, `<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult><Owner><ID>x</ID></Owner><Buckets>${list}</Buckets></ListAllMyBucketsResult>`);
			}
			const bucket = buckets.get(bucketName);
			if (key === undefined && req.method !== 'GET') {
				if (req.method === 'PUT') {
					if (!bucket) buckets.set(bucketName, new Map());
					return send(200);
				}
				if (!bucket) return error(404, 'NoSuchBucket');
				return send(req.method === 'HEAD' ? 200 : 405);
			}
			if (!bucket) return error(404, 'NoSuchBucket');
			if (key === undefined) {
				const max = Number(query.get('max-keys') ?? 1000);
				// v1 only: list-type, continuation-token and start-after mean nothing here.
				const after = query.get('marker') ?? '';
				const keys = [...bucket.keys()].sort().filter((k) => k > after);
				const page = keys.slice(0, max);
				const truncated = keys.length > page.length;
				const contents = page
					.map((k) => {
						const body = bucket.get(k) as Buffer;
						return `<Contents><Key>${xmlText(k)}</Key><LastModified>2016-03-01T00:00:00.000Z</LastModified><ETag>&quot;${etagOf(body)}&quot;</ETag><Size>${body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
					})
					.join('');
				const next = truncated ? `<NextMarker>${xmlText(page.at(-1) as string)}</NextMarker>` : '';
				return send(200, `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${xmlText(bucketName)}</Name><Marker>${xmlText(after)}</Marker><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${next}${contents}</ListBucketResult>`);
			}
			const objectKey = key;
			if (req.method === 'PUT') {
				const raw = Buffer.concat(chunks);
				const chunked = /STREAMING-/.test(String(req.headers['x-amz-content-sha256'] ?? '')) || /aws-chunked/.test(String(req.headers['content-encoding'] ?? ''));
				const body = chunked ? decodeAwsChunked(raw) : raw;
				bucket.set(objectKey, body);
				return send(200, '', { ETag: `"${etagOf(body)}"` });
			}
			const body = bucket.get(objectKey);
			if (!body) return error(404, 'NoSuchKey');
			if (req.method === 'GET' || req.method === 'HEAD') {
				res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length, ETag: `"${etagOf(body)}"`, 'Last-Modified': 'Tue, 01 Mar 2016 00:00:00 GMT' });
				return res.end(req.method === 'HEAD' ? undefined : body);
			}
			return error(405, 'MethodNotAllowed');
		});
	});
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const port = (server.address() as AddressInfo).port;
	return {
		endpoint: `http://127.0.0.1:${port}`,
		port,
		buckets,
		requests,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
