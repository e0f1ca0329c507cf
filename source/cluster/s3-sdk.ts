/**
 * The AWS SDK, loaded once and on demand. It is the largest module a run
 * needs (~0.2 s to load); the plans start loading it when they connect, so it
 * loads while SSH and the gateway keys are waited for, not before.
 */
type S3Sdk = typeof import('@aws-sdk/client-s3');
type HttpHandlerModule = typeof import('@smithy/node-http-handler');
type SignatureV4Module = typeof import('@smithy/signature-v4');

let loading: Promise<S3Sdk> | undefined;

export function loadS3Sdk(): Promise<S3Sdk> {
	loading ??= import('@aws-sdk/client-s3').then(commonJsExports);
	return loading;
}

export function loadHttpHandler(): Promise<HttpHandlerModule> {
	return import('@smithy/node-http-handler').then(commonJsExports);
}

/** SigV4, for the rare gateway that demands it: not loaded on a Deis v1 gateway's v2 path. */
export function loadSignatureV4(): Promise<SignatureV4Module> {
	return import('@smithy/signature-v4').then(commonJsExports);
}

/**
 * All are CommonJS packages. Node gives their exports as named ones and as
 * `default`; the bundled build (esbuild, code splitting) only as `default`.
 */
function commonJsExports<T extends object>(module: T): T {
	return ((module as { default?: T }).default ?? module) as T;
}
