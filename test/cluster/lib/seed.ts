/** Uploading the seed to the gateway, and telling whether it is still intact. */
import { CreateBucketCommand, ListBucketsCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { SEED_BUCKETS, seedBodies } from './seed-data.js';
import type { SeedBody, SeedObject } from './seed-data.js';

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const item = items[next++];
			if (item !== undefined) await work(item);
		}
	};
	await Promise.all(Array.from({ length: limit }, worker));
}

/** Creates the buckets and PUTs every object (the big ones first, so they overlap the small ones). */
export async function uploadSeed(s3: S3Client): Promise<void> {
	for (const bucket of SEED_BUCKETS) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
	const bodies = seedBodies().sort((a, b) => b.size - a.size);
	await inParallel(bodies, 8, async (o: SeedBody) => {
		await s3.send(new PutObjectCommand({ Bucket: o.bucket, Key: o.key, Body: o.body, ContentLength: o.size }));
	});
}

export async function listBucket(s3: S3Client, bucket: string): Promise<Array<{ key: string; size: number; etag: string }>> {
	const out: Array<{ key: string; size: number; etag: string }> = [];
	let token: string | undefined;
	do {
		const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
		for (const o of page.Contents ?? []) out.push({ key: o.Key ?? '', size: o.Size ?? -1, etag: (o.ETag ?? '').replaceAll('"', '') });
		token = page.IsTruncated ? page.NextContinuationToken : undefined;
	} while (token);
	return out;
}

/** True when the user owns exactly the seed's buckets holding exactly the seed (keys, sizes, content MD5s). */
export async function seedIntact(s3: S3Client, seed: readonly SeedObject[]): Promise<boolean> {
	const buckets = (await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name ?? '') ?? [];
	if (buckets.sort().join(',') !== [...SEED_BUCKETS].sort().join(',')) return false;
	const expected = new Map(seed.map((o) => [`${o.bucket}/${o.key}`, o]));
	let seen = 0;
	for (const bucket of SEED_BUCKETS) {
		const listed = await listBucket(s3, bucket).catch(() => undefined);
		if (!listed) return false;
		for (const o of listed) {
			const want = expected.get(`${bucket}/${o.key}`);
			if (!want || want.size !== o.size || want.md5 !== o.etag) return false;
			seen++;
		}
	}
	return seen === expected.size;
}
