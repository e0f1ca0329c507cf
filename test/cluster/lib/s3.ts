/** S3 clients for the gateway, set up the way Ceph RGW needs. */
import { S3Client } from '@aws-sdk/client-s3';
import { Agent } from 'node:http';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { v2Signer } from './sigv2.js';

// The SDK warns on every client that Node 20 support ends in 2027; noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface GatewayKeys {
	accessKey: string;
	secretKey: string;
}

export type SignatureVersion = 'v2' | 'v4';

/**
 * Path-style addressing (the store's name is not a wildcard DNS here), and
 * checksums only when required: the SDK's default CRC32 trailers break
 * streamed PUTs on Ceph. Signed v2 unless told otherwise: the router answers
 * v4 as a Deis v1 gateway does (400), except in modern-gateway mode.
 */
export function s3Client(keys: GatewayKeys, endpoint: string, signature: SignatureVersion = 'v2'): S3Client {
	return new S3Client({
		...(signature === 'v2' ? { signer: v2Signer(keys) } : {}),
		endpoint,
		region: 'us-east-1',
		forcePathStyle: true,
		credentials: { accessKeyId: keys.accessKey, secretAccessKey: keys.secretKey },
		requestChecksumCalculation: 'WHEN_REQUIRED',
		responseChecksumValidation: 'WHEN_REQUIRED',
		maxAttempts: 1,
		requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 16 }) }),
	});
}
