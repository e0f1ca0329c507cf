import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { withRetries } from './retry.js';

export interface RemoteObject {
	key: string;
	size: number;
	etag?: string;
}

/** One pass over the bucket, 1,000 keys a page: no per-object HEADs. */
export async function listBucket(s3: S3Client, bucket: string, signal?: AbortSignal): Promise<RemoteObject[]> {
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
