/**
 * Hand-made AWS signature v4 requests for the tests that prove a Deis v1
 * gateway refuses them (and a modern one takes them), header-signed or presigned.
 */
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';
import type { GatewayKeys } from './s3.js';

const bytes = (d: SourceData): string | Buffer =>
	typeof d === 'string' ? d : d instanceof ArrayBuffer ? Buffer.from(d) : Buffer.from(d.buffer, d.byteOffset, d.byteLength);

class Sha256 {
	private readonly hash;
	constructor(secret?: SourceData) {
		this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
	}
	update(data: SourceData): void {
		this.hash.update(bytes(data));
	}
	async digest(): Promise<Uint8Array> {
		return new Uint8Array(this.hash.digest());
	}
}

function signer(keys: GatewayKeys): SignatureV4 {
	return new SignatureV4({
		service: 's3',
		region: 'us-east-1',
		credentials: { accessKeyId: keys.accessKey, secretAccessKey: keys.secretKey },
		sha256: Sha256,
		// paths are given already percent-encoded, as sent
		uriEscapePath: false,
		applyChecksum: false,
	});
}

/** Headers of a v4 header-signed GET of `path` (percent-encoded) on `host`. */
export async function v4SignedHeaders(keys: GatewayKeys, host: string, path: string): Promise<Record<string, string>> {
	const signed = await signer(keys).sign({ method: 'GET', protocol: 'http:', hostname: host, path, query: {}, headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
	return signed.headers;
}

/** `path?query` of a GET presigned with v4, as `aws s3 presign` makes it. */
export async function v4PresignedGet(keys: GatewayKeys, host: string, path: string): Promise<string> {
	// As the SDK's presigner: the payload is UNSIGNED-PAYLOAD, and that header is neither signed, hoisted nor sent.
	const unsigned = new Set(['x-amz-content-sha256']);
	const signed = await signer(keys).presign(
		{ method: 'GET', protocol: 'http:', hostname: host, path, query: {}, headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
		{ expiresIn: 300, unsignableHeaders: unsigned, unhoistableHeaders: unsigned },
	);
	const qs = Object.entries(signed.query ?? {}).map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&');
	return `${path}?${qs}`;
}
