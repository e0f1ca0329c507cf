/**
 * The bench's own traffic to the gateway: seeding straight into radosgw
 * (127.0.0.1:7480, bypassing the router), creating and removing the bench's
 * buckets, and watching how much of the memstore OSD is used.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import { promisify } from 'node:util';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { objectBody, type BenchObject } from './data.js';
import { CEPH_CONF, OSD_SOCKET, type ClusterEnv } from './env.js';

const run = promisify(execFile);

export function directClient(env: ClusterEnv, concurrency = 32): S3Client {
	return new S3Client({
		endpoint: env.gatewayDirect,
		region: 'us-east-1',
		forcePathStyle: true,
		credentials: { accessKeyId: env.keys.accessKey, secretAccessKey: env.keys.secretKey },
		requestChecksumCalculation: 'WHEN_REQUIRED',
		responseChecksumValidation: 'WHEN_REQUIRED',
		requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: concurrency }) }),
	});
}

export async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < items.length) await work(items[next++] as T);
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

export async function createBucket(s3: S3Client, bucket: string): Promise<void> {
	await s3.send(new CreateBucketCommand({ Bucket: bucket }));
}

/** Creates the bucket and PUTs every object, 32 in flight (8 for large ones, to bound memory). */
export async function seedBucket(s3: S3Client, bucket: string, objects: readonly BenchObject[], metadata?: Record<string, string>): Promise<void> {
	await createBucket(s3, bucket);
	const large = objects.some((o) => o.size > 8 * 1024 * 1024);
	await pool(objects, large ? 4 : 32, async (object) => {
		await s3.send(new PutObjectCommand({ Bucket: bucket, Key: object.key, Body: objectBody(object), ContentLength: object.size, Metadata: metadata }));
	});
}

export async function countObjects(s3: S3Client, bucket: string): Promise<{ count: number; bytes: number }> {
	let token: string | undefined;
	let count = 0;
	let bytes = 0;
	do {
		const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
		for (const item of page.Contents ?? []) {
			count++;
			bytes += item.Size ?? 0;
		}
		token = page.IsTruncated ? page.NextContinuationToken : undefined;
	} while (token);
	return { count, bytes };
}

function radosgwAdmin(...args: string[]) {
	return run('radosgw-admin', ['-c', CEPH_CONF, '-n', 'client.admin', ...args], { maxBuffer: 64 * 1024 * 1024 });
}

/** The gateway's buckets (all users). */
export async function listBuckets(): Promise<string[]> {
	return JSON.parse((await radosgwAdmin('bucket', 'list')).stdout) as string[];
}

/**
 * Removes a bench bucket with everything in it, and frees the memstore at
 * once (--bypass-gc; then a GC pass for tails left by deletes through S3).
 */
export async function removeBucket(bucket: string): Promise<void> {
	if (!bucket.startsWith('bench-')) throw new Error(`refusing to remove ${bucket}: not a bench bucket`);
	try {
		await radosgwAdmin('bucket', 'rm', `--bucket=${bucket}`, '--purge-objects', '--bypass-gc');
	} catch (error) {
		const text = String((error as { stderr?: string }).stderr ?? error);
		if (!/No such|does not exist|could not|NoSuchBucket|2002/.test(text)) throw error;
	}
}

export async function collectGarbage(): Promise<void> {
	await radosgwAdmin('gc', 'process', '--include-all');
}

/** Bytes the memstore OSD holds (its own statistics, through its admin socket). */
export async function osdUsage(): Promise<{ used: number; total: number }> {
	const { stdout } = await run('ceph', ['--admin-daemon', OSD_SOCKET, 'perf', 'dump', 'osd'], { maxBuffer: 16 * 1024 * 1024 });
	const osd = (JSON.parse(stdout) as { osd: { stat_bytes: number; stat_bytes_used: number } }).osd;
	return { used: osd.stat_bytes_used, total: osd.stat_bytes };
}
