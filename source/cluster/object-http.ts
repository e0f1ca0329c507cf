/**
 * GET and single-part PUT of one object, bucket listings, and the few bucket
 * requests a restore makes (is it there, create it, do the keys work), on plain
 * keep-alive connections (plain-http.ts), signed with AWS signature v2 (what
 * a Deis v1 gateway knows) or, for a newer gateway that asks for it, the
 * SDK's SigV4.
 *
 * These requests are the whole per-object cost of a download or an upload:
 * the S3 client's middleware stack costs about a millisecond of CPU per
 * request, and Node's http client more per byte than the rest of our work
 * (see plain-http.ts); and loading the S3 client costs ~0.1 s of CPU, so
 * only a multipart upload's create/complete/abort still use it. Errors look
 * like the S3 client's (name = the gateway's error code,
 * $metadata.httpStatusCode), so retries and explanations treat both alike.
 */
import type { Duplex } from 'node:stream';
import { AdaptiveGate } from './adaptive-gate.js';
import { NodeSha256 } from './node-sha256.js';
import { parseListPage, type ListPage } from './list-page.js';
import type { SignatureVersion } from '../settings.js';
import { createHmac } from 'node:crypto';
import { isSubresource, signingHeaders } from './signature-v2.js';
import { loadSignatureV4 } from './s3-sdk.js';
import { PlainHttp, type BodySink, type BodyWriter, type ResponseHead, type SinkMaker } from './plain-http.js';

export interface ObjectHttpOptions {
	endpoint: string;
	accessKey: string;
	secretKey: string;
	/** 2 for a Deis v1 gateway (Ceph before Jewel), 4 for one that demands SigV4. */
	signatureVersion: SignatureVersion;
	/** How connections are opened when not TCP to the endpoint (an SSH channel to the router). */
	open?: () => Promise<Duplex>;
	/** Requests in flight at most; fewer while the gateway answers 503 SlowDown. */
	concurrency: number;
	idleTimeoutMs: number;
}

export interface ObjectHead {
	etag?: string;
	/** The length the gateway announced, when it did. */
	size?: number;
}

/** Makes the sink for a body once its head is known. */
export type ObjectSinkMaker = (head: ObjectHead) => BodySink;

/** What the gateway said when it refused a request, shaped like the S3 client's errors. */
export class GatewayError extends Error {
	readonly $metadata: { httpStatusCode: number };
	constructor(status: number, code: string | undefined, message: string | undefined) {
		super(message ?? `HTTP ${status}`);
		this.name = code ?? `Http${status}`;
		this.$metadata = { httpStatusCode: status };
	}
}

export class ObjectHttp {
	private readonly url: URL;
	private readonly sign: HeaderSigner;
	private readonly gate: AdaptiveGate;
	private readonly connections: PlainHttp;

	constructor(options: ObjectHttpOptions) {
		this.url = new URL(options.endpoint);
		this.sign = options.signatureVersion === 4 ? signerV4(options) : signerV2(options);
		this.gate = new AdaptiveGate(options.concurrency);
		this.connections = new PlainHttp({ host: this.url.hostname, port: Number(this.url.port || 80), open: options.open, idleTimeoutMs: options.idleTimeoutMs });
	}

	/**
	 * One object's body, handed piece by piece to the sink `onHead` makes.
	 * Resolves once the whole body has been taken; a refusal rejects with a
	 * GatewayError, and the sink is never made.
	 */
	async get(bucket: string, key: string, onHead: ObjectSinkMaker, signal?: AbortSignal): Promise<ObjectHead> {
		let object: ObjectHead = {};
		await this.request('GET', objectPath(bucket, key), undefined, undefined, signal, {}, (head) => {
			object = { etag: unquote(head.headers.etag), size: head.length };
			return onHead(object);
		});
		return object;
	}

	/**
	 * A whole object (or a part) in one request: the body is a Buffer, or a
	 * writer that sends exactly `length` bytes.
	 */
	async put(bucket: string, key: string, body: Buffer | BodyWriter, length: number, signal?: AbortSignal, query: Record<string, string> = {}): Promise<{ etag?: string }> {
		const head = await this.request('PUT', objectPath(bucket, key), body, length, signal, query, ignoreBody);
		return { etag: unquote(head.headers.etag) };
	}

	/**
	 * Whether the bucket is there: a listing of one key, which the gateway
	 * answers 404 NoSuchBucket when it is not. (A HEAD would do as well, but the plain
	 * connections read no body-less answers.)
	 */
	async hasBucket(bucket: string, signal?: AbortSignal): Promise<boolean> {
		try {
			await this.request('GET', bucketPath(bucket), undefined, undefined, signal, { 'max-keys': '1' }, ignoreBody);
			return true;
		} catch (error) {
			// Only the gateway's own answer: a 404 from something else in front of it is not a missing bucket.
			if (error instanceof GatewayError && error.name === 'NoSuchBucket') return false;
			throw error;
		}
	}

	/** PUT Bucket, as `s3cmd mb` sends it: no body, the gateway's default placement. */
	async createBucket(bucket: string, signal?: AbortSignal): Promise<void> {
		await this.request('PUT', bucketPath(bucket), Buffer.alloc(0), 0, signal, {}, ignoreBody);
	}

	/**
	 * GET Service (the account's buckets), answer unread: it succeeds only once
	 * the gateway is up and knows these keys, so it is the restore's probe.
	 */
	async listBuckets(signal?: AbortSignal): Promise<void> {
		await this.request('GET', '/', undefined, undefined, signal, {}, ignoreBody);
	}

	/**
	 * One ListObjects v1 page (by marker, up to 1,000 keys), on the same
	 * keep-alive connections as the objects: a plain signed GET and a parser
	 * made for the answer, instead of the S3 client's middleware and XML parser.
	 */
	async list(bucket: string, marker: string | undefined, signal?: AbortSignal): Promise<ListPage> {
		const query: Record<string, string> = { 'max-keys': '1000' };
		if (marker !== undefined) query.marker = marker;
		// A page (~350 KB) is copied out of the read buffer into one buffer of its announced length, not chunk by chunk.
		let whole: Buffer | undefined;
		let filled = 0;
		const chunks: Buffer[] = [];
		await this.request('GET', objectPath(bucket, ''), undefined, undefined, signal, query, (head) => {
			// Only what a page can be: an announced length is not trusted with a larger allocation.
			const body = head.length === undefined || head.length > MAX_PAGE_BYTES ? undefined : Buffer.allocUnsafe(head.length);
			whole = body;
			if (!body) return (data) => void chunks.push(Buffer.from(data));
			return (data) => {
				filled += data.copy(body, filled);
			};
		});
		return parseListPage(whole ? whole.toString('utf8', 0, filled) : Buffer.concat(chunks).toString('utf8'));
	}

	/** Closes the kept-alive connections. */
	destroy(): void {
		this.connections.destroy();
	}

	/**
	 * One signed request, within the gate: the slot is held until the answer's
	 * body is read, since a transfer in flight is load on the gateway. A refusal
	 * (not 2xx) rejects with a GatewayError made from its error document.
	 */
	private async request(method: 'GET' | 'PUT', path: string, body: Buffer | BodyWriter | undefined, length: number | undefined, signal: AbortSignal | undefined, query: Record<string, string>, onHead: SinkMaker): Promise<ResponseHead> {
		const release = await this.gate.acquire();
		try {
			// Encoded as the signer encodes its canonical query, sorted the same way.
			const search = Object.keys(query)
				.sort()
				.map((name) => `${escapeComponent(name)}=${escapeComponent(query[name] as string)}`)
				.join('&');
			const headers: Record<string, string> = { host: this.url.host };
			if (length !== undefined) headers['content-length'] = String(length);
			const signed = await this.sign(method, this.url, path, query, headers);
			const headerLines = Object.entries(signed).map(([name, value]) => `${name}: ${value}`);
			let refusal: { status: number; text: string } | undefined;
			const head = await this.connections.request(
				{ method, target: search ? `${path}?${search}` : path, headerLines, body },
				(response) => {
					if (response.status >= 200 && response.status < 300) return onHead(response);
					const refused = { status: response.status, text: '' };
					refusal = refused;
					// Error documents are small; never hold a large body.
					return (data) => {
						if (refused.text.length < 16_384) refused.text += data.toString('utf8');
					};
				},
				signal,
			);
			if (refusal) throw gatewayError(refusal.status, refusal.text);
			release('ok');
			return head;
		} catch (error) {
			release(outcomeOf(error));
			throw error;
		}
	}
}

/** The request's headers with its authorization added. */
type HeaderSigner = (method: string, url: URL, path: string, query: Record<string, string>, headers: Record<string, string>) => Promise<Record<string, string>>;

function signerV2(options: ObjectHttpOptions): HeaderSigner {
	const keys = { accessKey: options.accessKey, secretKey: options.secretKey };
	const clock = new DateHeader();
	// v2 signs no payload hash: nothing to compute or send beyond one HMAC-SHA1 per request.
	return async (method, _url, path, query, headers) => {
		const date = clock.now();
		// Our GETs and PUTs carry no Content-MD5, Content-Type or x-amz-* header, and a query without
		// sub-resources is not signed: the string to sign is then just this (what stringToSign builds).
		if (!hasSignedHeader(headers) && !Object.keys(query).some(isSubresource)) {
			const signature = createHmac('sha1', keys.secretKey).update(`${method}\n\n\n${date}\n${path}`, 'utf8').digest('base64');
			return { ...headers, date, authorization: `AWS ${keys.accessKey}:${signature}` };
		}
		return { ...headers, date, ...signingHeaders(keys, { method, path, query, headers: { ...headers, date } }) };
	};
}

function hasSignedHeader(headers: Record<string, string>): boolean {
	for (const name in headers) if (/^(content-md5|content-type|date|x-amz-)/i.test(name)) return true;
	return false;
}

/** An HTTP date, formatted once a second rather than for every request. */
class DateHeader {
	private second = -1;
	private text = '';

	now(): string {
		const ms = Date.now();
		const second = Math.floor(ms / 1000);
		if (second !== this.second) {
			this.second = second;
			this.text = new Date(second * 1000).toUTCString();
		}
		return this.text;
	}
}

function signerV4(options: ObjectHttpOptions): HeaderSigner {
	// Loaded on first use (~0.15 s): a Deis v1 gateway never asks for it.
	let loading: Promise<import('@smithy/signature-v4').SignatureV4> | undefined;
	const load = () =>
		(loading ??= loadSignatureV4().then(
			({ SignatureV4 }) =>
				new SignatureV4({
					credentials: { accessKeyId: options.accessKey, secretAccessKey: options.secretKey },
					region: 'us-east-1',
					service: 's3',
					sha256: NodeSha256,
					// The path is escaped once here, as S3 wants; the signer must not do it again.
					uriEscapePath: false,
					applyChecksum: false,
				}),
		));
	return async (method, url, path, query, headers) => {
		const signer = await load();
		const signed = await signer.sign({ method, protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined, path, query, headers: { ...headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
		return signed.headers;
	};
}

function gatewayError(status: number, text: string): GatewayError {
	const code = /<Code>([^<]{1,100})<\/Code>/.exec(text)?.[1];
	const message = /<Message>([^<]{0,500})<\/Message>/.exec(text)?.[1];
	return new GatewayError(status, code, message);
}

function outcomeOf(error: unknown): 'pushback' | 'other' {
	const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
	return e.name === 'SlowDown' || e.$metadata?.httpStatusCode === 503 || e.$metadata?.httpStatusCode === 429 ? 'pushback' : 'other';
}

function unquote(etag: string | undefined): string | undefined {
	return typeof etag === 'string' ? etag.replaceAll('"', '') : undefined;
}

/** A listing page of 1,000 keys of up to 1,024 bytes each, with its XML, is well under this. */
const MAX_PAGE_BYTES = 8 * 1024 * 1024;

/** A 2xx answer's body is not needed: read and dropped. */
const ignoreBody: SinkMaker = () => () => undefined;

/** An object's path; a listing's is the bucket's with a slash (`/bucket/`), as it has always been sent. */
function objectPath(bucket: string, key: string): string {
	return `/${escapePath(bucket)}/${escapePath(key)}`;
}

/** A bucket's own path, as the S3 client sends it for bucket operations. */
function bucketPath(bucket: string): string {
	return `/${escapePath(bucket)}`;
}

/** S3's URI encoding: every byte but A-Z a-z 0-9 - . _ ~ escaped, slashes kept (as the S3 client does). */
export function escapePath(key: string): string {
	return key.split('/').map(escapeComponent).join('/');
}

function escapeComponent(text: string): string {
	return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
