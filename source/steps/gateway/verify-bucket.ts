/**
 * After a restore: every object of the backup present in the new cluster
 * with its size, and its content proven, by the gateway's own MD5 for
 * single-part uploads, by reading back and hashing the rest.
 */
import { createHash } from 'node:crypto';
import type { ObjectEntry } from '../../archive/manifest.js';
import { runPool } from '../../util/pool.js';
import type { Report } from '../../progress.js';
import { explainS3Error } from './explain.js';
import { listGatewayBucket, sameSinglePartEtag, type BucketAddress } from './listing.js';
import type { UploadedObject } from './upload.js';
import { ShortTransfer, withRetries } from './retry.js';

export interface ObjectMismatch {
	bucket: string;
	key: string;
	problem: 'missing' | 'size' | 'checksum';
}

export async function verifyBucket(
	options: BucketAddress & {
		objects: readonly ObjectEntry[];
		uploaded: ReadonlyMap<string, UploadedObject>;
		concurrency: number;
		report: Report;
	},
): Promise<ObjectMismatch[]> {
	const { bucket } = options;
	// The backup's keys, in its listing order: a large bucket is listed in ranges.
	const listed = await listGatewayBucket(options, undefined, options.objects.map((object) => object.key));
	const listing = new Map(listed.map((o) => [o.key, o]));
	const problems: ObjectMismatch[] = [];
	const toHash: ObjectEntry[] = [];
	for (const object of options.objects) {
		const there = listing.get(object.key);
		if (!there) problems.push({ bucket, key: object.key, problem: 'missing' });
		else if (there.size !== object.size) problems.push({ bucket, key: object.key, problem: 'size' });
		else {
			const uploaded = options.uploaded.get(object.key);
			if (uploaded?.md5 && there.etag === uploaded.md5) continue;
			// A single-part ETag is the content's MD5: equal to the source's at backup time, the content is the same.
			if (sameSinglePartEtag(object.etag, there.etag)) continue;
			toHash.push(object);
		}
	}
	let bytesDone = 0;
	const bytesTotal = toHash.reduce((sum, object) => sum + object.size, 0);
	await runPool(
		toHash,
		options.concurrency,
		async (object) => {
			let digest: string;
			try {
				// A read cut short is retried; a Ctrl-C or a gateway error becomes one clear sentence.
				digest = await withRetries(
					async () => {
						const hash = createHash('sha256');
						let got = 0;
						await options.http.get(bucket, object.key, () => (data) => {
							hash.update(data);
							got += data.length;
							bytesDone += data.length;
							options.report({ stage: 'verify', item: object.key, bytesDone, bytesTotal });
						}, options.signal);
						if (got !== object.size) throw new ShortTransfer(`The gateway sent ${got} bytes of ${bucket}/${object.key} where ${object.size} were expected`);
						return hash.digest('hex');
					},
					{ signal: options.signal },
				);
			} catch (error) {
				throw explainS3Error(error, options.endpoint, bucket, options.signal);
			}
			if (digest !== object.sha256) problems.push({ bucket, key: object.key, problem: 'checksum' });
		},
		options.signal,
	);
	return problems;
}
