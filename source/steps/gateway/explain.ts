/**
 * Turns what the S3 client throws into one sentence an operator can act on.
 */
import { UserError } from '../../errors.js';

interface SdkError {
	name?: string;
	code?: string;
	message?: string;
	$metadata?: { httpStatusCode?: number };
	cause?: unknown;
}

/** `signal`: the run's; once it is aborted, whatever broke the transfer was the stop itself. */
export function explainS3Error(error: unknown, endpoint: string, bucket?: string, signal?: AbortSignal): Error {
	if (error instanceof UserError) return error;
	if (signal?.aborted) return stopped();
	const e = (error ?? {}) as SdkError;
	const code = e.code ?? (e.cause as SdkError | undefined)?.code;
	const status = e.$metadata?.httpStatusCode;
	const where = bucket ? `bucket ${bucket} at ${endpoint}` : endpoint;
	if (e.name === 'AbortError') return stopped();
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		return new UserError(`The store gateway name in ${endpoint} does not resolve; check --domain, or pass --store-endpoint (or --tunnel to go through SSH).`);
	}
	if (e.name === 'ShortTransfer' || code === 'ERR_STREAM_PREMATURE_CLOSE' || /^(aborted|socket hang up|premature close)$/i.test(e.message ?? '')) {
		return new UserError(`The connection to the store gateway at ${endpoint} kept breaking mid-transfer, even after retries (${e.message ?? code}); check the network or proxy in between and run the same command again.`);
	}
	if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT' || e.name === 'TimeoutError') {
		return new UserError(`The store gateway at ${endpoint} cannot be reached (${code ?? e.name}); check that the router and store-gateway units run, or use --tunnel to go through SSH.`);
	}
	if (status === 413 || e.name === 'EntityTooLarge') {
		return new UserError(`The router refused an upload as too large (HTTP 413); raise it with \`deisctl config router set bodySize=100m\`, and check any proxy in front of the router has no smaller limit.`);
	}
	if (e.name === 'TruncatedListing') {
		return new UserError(`The store gateway at ${endpoint} ${e.message?.replace(/^the gateway /, '') ?? 'cut a listing short'}; nothing was taken as complete: run the same command again, and if it repeats, the gateway's listing is broken.`);
	}
	if (status === 400 && e.name === 'InvalidArgument') {
		// How radosgw before Jewel (every Deis v1 gateway) answers a SigV4 Authorization header.
		return new UserError(`The store gateway at ${endpoint} refused the request as invalid (HTTP 400 InvalidArgument${e.message ? `: ${e.message}` : ''}); a Deis v1 gateway answers this to AWS signature v4: run without --signature-version 4.`);
	}
	if (status === 400 && /AWS4-HMAC-SHA256|signature version 4|authorization mechanism/i.test(`${e.name} ${e.message ?? ''}`)) {
		return new UserError(`The store gateway at ${endpoint} wants AWS signature v4 (HTTP 400 ${e.name ?? ''}); run with --signature-version 4.`);
	}
	if (e.name === 'NoSuchBucket') return new UserError(`The ${where} does not exist; check the bucket name (deisctl config database get bucketName) or that the gateway is the right cluster's.`);
	if (e.name === 'InvalidAccessKeyId' || e.name === 'SignatureDoesNotMatch' || status === 403) {
		return new UserError(`The store gateway at ${endpoint} rejected the gateway keys (HTTP ${status ?? 403}); the keys in etcd do not belong to this gateway: check --domain points at the same cluster as --host.`);
	}
	// A 404 without an S3 error code (GatewayError names those Http404): not a gateway's answer.
	if (status === 404 && (!e.name || e.name === 'Http404')) return new UserError(`Nothing at ${endpoint} answers as a store gateway (HTTP 404); check --domain or --store-endpoint.`);
	if (status !== undefined && status >= 500) return new UserError(`The store gateway at ${endpoint} failed (HTTP ${status}) even after retries; it may be overloaded: try again with --concurrency 4, or scale gateways with --scale-gateways.`);
	return new UserError(`The store gateway at ${endpoint} answered unexpectedly for ${where}: ${e.name ?? 'error'} ${e.message ?? ''}`.trim());
}

function stopped(): UserError {
	return new UserError('Stopped before the transfer finished; run the same command again to resume.', 130);
}
