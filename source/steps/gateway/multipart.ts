/**
 * A large object uploaded in parts, each part streamed from its own range of the
 * file: memory stays at a few read buffers whatever the part size, and a part
 * that fails is uploaded again alone. The whole file is hashed in a parallel
 * pass; only when it matches the manifest is the upload completed, so a
 * damaged backup file never becomes an object (the upload is aborted).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { loadS3Sdk } from '../../cluster/s3-sdk.js';
import type { ObjectHttp } from '../../cluster/object-http.js';
import { runPool } from '../../util/pool.js';
import { hashFile } from '../../util/hash-file.js';
import { fileBody } from '../../util/file-body.js';
import type { Limit } from '../../util/limit.js';
import { withRetriedProgress } from './retry.js';
import { READ_CHUNK_BYTES } from './size-class.js';

export interface PartsUpload {
	s3: () => Promise<S3Client>;
	http: ObjectHttp;
	bucket: string;
	key: string;
	path: string;
	size: number;
	partSize: number;
	/** Parts in flight at once for this object. */
	concurrency: number;
	/** Streams shared with the other uploads running at once: each part holds one while it sends. */
	slots: Limit;
	onBytes: (delta: number) => void;
	signal?: AbortSignal;
}

/** The file did not hash to what the manifest says: the upload was aborted. */
export class SourceMismatch extends Error {
	constructor(readonly digest: string) {
		super('the file does not match its checksum');
		this.name = 'SourceMismatch';
	}
}

export async function uploadInParts(upload: PartsUpload, expectedSha256: string): Promise<{ etag?: string }> {
	const { bucket, key } = upload;
	const [s3, { AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand }] = await Promise.all([upload.s3(), loadS3Sdk()]);
	const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }), { abortSignal: upload.signal });
	const uploadId = created.UploadId;
	if (!uploadId) throw new Error(`the gateway gave no upload id for ${bucket}/${key}`);
	try {
		const count = Math.max(1, Math.ceil(upload.size / upload.partSize));
		const etags: string[] = new Array<string>(count);
		const numbers = Array.from({ length: count }, (_, index) => index + 1);
		const [digest] = await Promise.all([
			hashFile(upload.path, 'sha256', upload.signal),
			runPool(numbers, upload.concurrency, async (number) => {
				etags[number - 1] = await upload.slots(() => uploadPart(upload, uploadId, number));
			}, upload.signal),
		]);
		if (digest !== expectedSha256) throw new SourceMismatch(digest);
		const completed = await s3.send(
			new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: etags.map((ETag, index) => ({ ETag, PartNumber: index + 1 })) } }),
			{ abortSignal: upload.signal },
		);
		return { etag: completed.ETag?.replaceAll('"', '') };
	} catch (error) {
		// The parts uploaded so far would hold space on the gateway until someone cleans them up.
		await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
		throw error;
	}
}

function uploadPart(upload: PartsUpload, uploadId: string, number: number): Promise<string> {
	const start = (number - 1) * upload.partSize;
	const length = Math.min(upload.partSize, upload.size - start);
	return withRetriedProgress(
		async (counted) => {
			const body = fileBody(upload.path, { start, length, chunkBytes: READ_CHUNK_BYTES }, (chunk) => counted(chunk.length));
			const { etag } = await upload.http.put(upload.bucket, upload.key, body, length, upload.signal, { partNumber: String(number), uploadId });
			if (!etag) throw new Error(`the gateway gave no ETag for part ${number} of ${upload.bucket}/${upload.key}`);
			return etag;
		},
		upload.onBytes,
		{ signal: upload.signal },
	);
}
