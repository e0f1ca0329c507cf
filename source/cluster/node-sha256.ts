/**
 * The hash constructor the SigV4 signer asks for, on node:crypto (the SDK's
 * default is a JavaScript SHA-256, several times slower).
 */
import { createHash, createHmac } from 'node:crypto';

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytes(data: SourceData): string | Uint8Array {
	if (typeof data === 'string') return data;
	return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}

export class NodeSha256 {
	private readonly hash;

	constructor(secret?: SourceData) {
		this.hash = secret ? createHmac('sha256', bytes(secret)) : createHash('sha256');
	}

	update(data: SourceData): void {
		this.hash.update(bytes(data));
	}

	digest(): Promise<Uint8Array> {
		return Promise.resolve(this.hash.digest());
	}
}
