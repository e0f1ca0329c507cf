import type { S3Client } from '@aws-sdk/client-s3';
import { loadS3Sdk } from '../../cluster/s3-sdk.js';
import { withRetries } from './retry.js';

export interface RemoteObject {
	key: string;
	size: number;
	etag?: string;
}

/** One pass over the bucket, 1,000 keys a page: no per-object HEADs. */
export async function listBucket(s3: S3Client, bucket: string, signal?: AbortSignal): Promise<RemoteObject[]> {
	const { ListObjectsV2Command } = await loadS3Sdk();
	const objects: RemoteObject[] = [];
	let token: string | undefined;
	do {
		const from = token;
		// A page cut short mid-body is asked for again (the SDK only retries failures before the answer).
		const page = await withRetries(() => s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: from, MaxKeys: 1000 }), { abortSignal: signal }), { signal });
		for (const item of page.Contents ?? []) {
			if (item.Key === undefined) continue;
			objects.push({ key: item.Key, size: item.Size ?? 0, etag: item.ETag?.replaceAll('"', '') });
		}
		token = page.IsTruncated ? page.NextContinuationToken : undefined;
	} while (token);
	return objects;
}

/** A single-part upload's ETag is the hex MD5 of its content; multipart ones end in -<parts>. */
export function isSinglePartEtag(etag: string | undefined): etag is string {
	return etag !== undefined && /^[0-9a-f]{32}$/i.test(etag);
}

/** Both single-part ETags, and equal: the two objects hold the same bytes (same MD5). */
export function sameSinglePartEtag(a: string | undefined, b: string | undefined): boolean {
	return isSinglePartEtag(a) && isSinglePartEtag(b) && a.toLowerCase() === b.toLowerCase();
}
