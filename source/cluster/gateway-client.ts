/**
 * The S3 client for the store gateway (Ceph RADOS gateway behind the router).
 *
 * Ceph wants path-style URLs and plain HTTP, and its streamed PutObject breaks
 * with the SDK's default CRC32 checksums, so checksums are only sent when an
 * operation requires them; we keep our own sha256 of every object instead.
 * A Deis v1 gateway (Ceph firefly to infernalis) refuses SigV4 with 400
 * InvalidArgument, so the SDK is given a signature v2 signer unless the
 * operator says the gateway wants v4.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SignatureVersion } from '../settings.js';
import { ObjectHttp } from './object-http.js';
import { signingHeaders, type SigningKeys } from './signature-v2.js';
import { loadHttpHandler, loadS3Sdk } from './s3-sdk.js';
import { idleTimeoutMs } from './timeouts.js';

export interface GatewayKeys {
	accessKey: string;
	secretKey: string;
}

export interface GatewayClientOptions {
	endpoint: string;
	keys: GatewayKeys;
	signatureVersion: SignatureVersion;
	/** Requests in flight at once; the agent keeps as many connections alive. */
	concurrency: number;
	/** Opens each TCP connection through SSH to the router on the host, when set. */
	tunnel?: () => Promise<Duplex>;
}

export interface GatewayClient {
	/**
	 * The S3 client, built on first use: only bucket creation, multipart
	 * uploads and the restore's checks need it, and loading the SDK costs
	 * ~0.25 s of CPU that a backup (GETs and listings) never has to pay.
	 */
	s3(): Promise<S3Client>;
	/** GET and single-part PUT of objects and bucket listings, without the S3 client's per-request cost. */
	http: ObjectHttp;
	endpoint: string;
	destroy(): void;
}

export async function createGatewayClient(options: GatewayClientOptions): Promise<GatewayClient> {
	const agent = options.tunnel ? new TunnelAgent(options.tunnel, options.concurrency) : new http.Agent({ keepAlive: true, maxSockets: options.concurrency, keepAliveMsecs: 10_000 });
	let s3: Promise<S3Client> | undefined;
	let destroyed = false;
	const objectHttp = new ObjectHttp({ endpoint: options.endpoint, accessKey: options.keys.accessKey, secretKey: options.keys.secretKey, signatureVersion: options.signatureVersion, open: options.tunnel, concurrency: options.concurrency, idleTimeoutMs: idleTimeoutMs() });
	return {
		s3: () => {
			s3 ??= sdkClient(options, agent).then((client) => {
				if (destroyed) client.destroy();
				return client;
			});
			return s3;
		},
		http: objectHttp,
		endpoint: options.endpoint,
		destroy: () => {
			destroyed = true;
			s3?.then((client) => client.destroy()).catch(() => undefined);
			objectHttp.destroy();
			agent.destroy();
		},
	};
}

async function sdkClient(options: GatewayClientOptions, agent: http.Agent): Promise<S3Client> {
	const [{ S3Client }, { NodeHttpHandler }] = await Promise.all([loadS3Sdk(), loadHttpHandler()]);
	return new S3Client({
		endpoint: options.endpoint,
		region: 'us-east-1',
		forcePathStyle: true,
		credentials: { accessKeyId: options.keys.accessKey, secretAccessKey: options.keys.secretKey },
		...(options.signatureVersion === 2 ? { signer: new SdkSignerV2(options.keys) } : {}),
		requestChecksumCalculation: 'WHEN_REQUIRED',
		responseChecksumValidation: 'WHEN_REQUIRED',
		// The SDK would print its own notes on stderr (e.g. on a failed streaming upload, which we retry ourselves).
		logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {} },
		maxAttempts: 6,
		retryMode: 'adaptive',
		requestHandler: new NodeHttpHandler({ httpAgent: agent, connectionTimeout: Math.min(10_000, idleTimeoutMs()), socketTimeout: idleTimeoutMs() }),
	});
}

/** What the S3 client's signer is handed: its request, just before it is sent. */
interface SdkRequest {
	method: string;
	path: string;
	query?: Record<string, string | string[] | null>;
	headers: Record<string, string>;
}

/** The S3 client's signer for v2. */
class SdkSignerV2 {
	constructor(private readonly keys: SigningKeys) {}

	async sign<R extends SdkRequest>(request: R, options?: { signingDate?: Date }): Promise<R> {
		// A retried request comes back with the previous attempt's signature and date.
		const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !/^(authorization|date)$/i.test(name)));
		request.headers = { ...headers, ...signingHeaders(this.keys, { method: request.method, path: request.path, query: request.query, headers }, options?.signingDate) };
		return request;
	}
}

/**
 * An HTTP agent whose sockets are SSH channels to the router (`ssh -L` without
 * a local port): for gateways only reachable from inside the cluster.
 */
class TunnelAgent extends http.Agent {
	constructor(
		private readonly open: () => Promise<Duplex>,
		maxSockets: number,
	) {
		super({ keepAlive: true, maxSockets });
	}

	override createConnection(_options: unknown, callback?: (error: Error | null, socket: Duplex) => void): Duplex {
		this.open().then(
			(channel) => {
				// http expects socket-like methods on the stream it is given.
				const socket = channel as Duplex & Record<string, unknown>;
				socket.setTimeout ??= () => socket;
				socket.setNoDelay ??= () => socket;
				socket.setKeepAlive ??= () => socket;
				socket.ref ??= () => socket;
				socket.unref ??= () => socket;
				callback?.(null, socket);
			},
			(error: Error) => callback?.(error, undefined as unknown as Duplex),
		);
		// Node's Agent accepts the socket through the callback when none is returned.
		return undefined as unknown as Duplex;
	}
}
