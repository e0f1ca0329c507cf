/**
 * `s3cmd mb` + `s3cmd sync <dir> s3://<bucket>`, done safely: buckets created
 * when missing, objects already in the bucket compared with the backup (the
 * same content is skipped, different content is only overwritten with
 * --force, nothing is ever deleted), large objects uploaded in parts smaller than
 * the router's body size, and every upload checked against the gateway's ETag.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ObjectHttp } from '../../cluster/object-http.js';
import type { ObjectEntry } from '../../archive/manifest.js';
import { EXIT, UserError } from '../../errors.js';
import { runPool } from '../../util/pool.js';
import type { Report } from '../../progress.js';
import { explainS3Error } from './explain.js';
import { isSinglePartEtag, listGatewayBucket, sameSinglePartEtag, type BucketAddress, type GatewayBucket, type RemoteObject } from './listing.js';
import { hashFile } from '../../util/hash-file.js';
import { fileBody, ShortFile } from '../../util/file-body.js';
import { SourceMismatch, uploadInParts } from './multipart.js';
import { withRetriedProgress, withRetries } from './retry.js';
import { limiter, type Limit } from '../../util/limit.js';
import { bySizeClass, partSizeFor, READ_CHUNK_BYTES, sizeClass } from './size-class.js';

export interface UploadedObject {
	bucket: string;
	key: string;
	size: number;
	etag?: string;
	/** The content MD5 when the object went up in one piece (its ETag must equal it). */
	md5?: string;
	/**
	 * Uploading started but is not confirmed. Recorded (through onUploaded, in the
	 * restore's journal) before each upload, so that a run killed mid-upload
	 * knows on resume that a differing object under this key is its own
	 * unfinished write (some gateways expose a partial body), not someone
	 * else's data: it is uploaded again without --force.
	 */
	pending?: true;
}

export async function ensureBucket(target: BucketAddress): Promise<'created' | 'existed'> {
	const { http, endpoint, bucket, signal } = target;
	try {
		// A reset or a 503 is tried again, as the S3 client did: neither request does more the second time.
		if (await withRetries(() => http.hasBucket(bucket, signal), { signal })) return 'existed';
		await withRetries(() => http.createBucket(bucket, signal), { signal });
		return 'created';
	} catch (error) {
		throw explainS3Error(error, endpoint, bucket, signal);
	}
}

export interface UploadOptions extends GatewayBucket {
	http: ObjectHttp;
	folder: string;
	objects: readonly ObjectEntry[];
	/** What earlier runs of this restore already uploaded, by key. */
	uploaded: ReadonlyMap<string, UploadedObject>;
	onUploaded: (object: UploadedObject) => void;
	force: boolean;
	concurrency: number;
	/** Objects larger than this go up in parts of this size. */
	partSize: number;
	report: Report;
}

export interface UploadResult {
	uploaded: number;
	unchanged: number;
	overwritten: number;
	/** Objects in the bucket that the backup does not have: left alone. */
	extra: number;
}

/** Whole files streamed in one PUT each, at once. */
const STREAMED_IN_FLIGHT = 8;
/** Objects uploaded in parts at once (each with PARTS_IN_FLIGHT parts streaming from its file). */
const MULTIPART_IN_FLIGHT = 4;
/** File streams (whole-file PUTs and parts) in flight at once, across objects. */
const UPLOAD_STREAMS = 16;

export async function uploadBucket(options: UploadOptions): Promise<UploadResult> {
	const { bucket, report, signal } = options;
	// The backup's keys, in its listing order: a re-run over a restored bucket lists it in ranges.
	const existing = await listGatewayBucket(options, undefined, options.objects.map((object) => object.key));
	const remote = new Map(existing.map((object) => [object.key, object]));
	const wanted = new Set(options.objects.map((object) => object.key));
	const toUpload: ObjectEntry[] = [];
	const conflicts: string[] = [];
	let unchanged = 0;
	for (const object of options.objects) {
		const there = remote.get(object.key);
		if (!there) {
			toUpload.push(object);
			continue;
		}
		if (await sameContent(options, object, there)) {
			unchanged++;
			continue;
		}
		toUpload.push(object);
		// Our own interrupted upload is finished, never counted as a conflict: the first
		// run only started uploading after checking the key was free (or --force was given).
		if (!options.uploaded.get(object.key)?.pending) conflicts.push(object.key);
	}
	if (conflicts.length > 0 && !options.force) {
		throw new UserError(
			`s3://${bucket} already holds ${conflicts.length} object(s) that differ from the backup (first: ${JSON.stringify(conflicts[0])}); nothing was overwritten: re-run with --force to replace them.`,
		);
	}
	const bytesTotal = toUpload.reduce((sum, object) => sum + object.size, 0);
	let bytesDone = 0;
	let itemsDone = unchanged;
	const itemsTotal = options.objects.length;
	report({ stage: 'buckets', item: bucket, bytesDone, bytesTotal, itemsDone, itemsTotal });
	// Files read whole go many at once (round trips dominate). Whole-file PUTs and parts share
	// UPLOAD_STREAMS file streams (bandwidth, CPU and memory dominate: more at once only adds
	// seeking, contention and buffers), so the gateway is not flooded however many large objects there are.
	const { small, streamed, parts: large } = bySizeClass(toUpload, options.partSize);
	const context: UploadContext = { ...options, slots: limiter(Math.min(options.concurrency, UPLOAD_STREAMS)) };
	const upload = async (object: ObjectEntry) => {
		options.onUploaded({ bucket, key: object.key, size: object.size, pending: true });
		const uploaded = await uploadObject(context, object, (delta) => {
			bytesDone += delta;
			report({ stage: 'buckets', item: object.key, bytesDone, bytesTotal, itemsDone, itemsTotal });
		});
		options.onUploaded(uploaded);
		itemsDone++;
	};
	// Both pools settle before we return, so no upload is left running behind an error.
	const settled = await Promise.allSettled([
		runPool(small, options.concurrency, upload, signal),
		runPool(streamed, Math.min(options.concurrency, STREAMED_IN_FLIGHT), upload, signal),
		runPool(large, MULTIPART_IN_FLIGHT, upload, signal),
	]);
	for (const result of settled) if (result.status === 'rejected') throw result.reason;
	report({ stage: 'buckets', item: bucket, bytesDone, bytesTotal, itemsDone, itemsTotal });
	return { uploaded: toUpload.length, unchanged, overwritten: conflicts.length, extra: existing.filter((object) => !wanted.has(object.key)).length };
}

/**
 * Proven the same: uploaded by an earlier run of this restore, or a single-part
 * ETag (the content's MD5) equal to the one the source gateway gave at backup
 * time, or else to the MD5 of our file. The first two cost no reading, so a
 * re-run over a restored bucket is one listing.
 */
async function sameContent(options: UploadOptions, object: ObjectEntry, there: RemoteObject): Promise<boolean> {
	if (there.size !== object.size) return false;
	const earlier = options.uploaded.get(object.key);
	if (earlier && !earlier.pending && earlier.size === object.size && earlier.etag === there.etag) return true;
	if (!isSinglePartEtag(there.etag)) return false;
	if (isSinglePartEtag(object.etag)) return sameSinglePartEtag(object.etag, there.etag);
	return (await hashFile(join(options.folder, object.path), 'md5')) === there.etag;
}

interface UploadContext extends UploadOptions {
	slots: Limit;
}

async function uploadObject(options: UploadContext, object: ObjectEntry, onBytes: (delta: number) => void): Promise<UploadedObject> {
	const path = join(options.folder, object.path);
	try {
		// A request whose body streams from a file cannot be replayed by the HTTP layer: a reset,
		// a stall or a 503 SlowDown uploads the object again from a freshly opened file, with backoff.
		return await withRetriedProgress((counted) => uploadOnce(options, object, path, counted), onBytes, { signal: options.signal });
	} catch (error) {
		if (error instanceof UserError) throw error;
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			throw new UserError(`The backup is missing ${path}; run deis-backup verify on the folder.`);
		}
		throw explainS3Error(error, options.endpoint, options.bucket, options.signal);
	}
}

async function uploadOnce(options: UploadContext, object: ObjectEntry, path: string, onBytes: (delta: number) => void): Promise<UploadedObject> {
	switch (sizeClass(object.size, options.partSize)) {
		case 'small':
			return uploadSmall(options, object, path, onBytes);
		case 'streamed':
			return options.slots(() => uploadStreamed(options, object, path, onBytes));
		case 'parts':
			return uploadByParts(options, object, path, onBytes);
	}
}

/** One PUT streamed from the file, hashed on the way: memory stays at a read buffer. */
async function uploadStreamed(options: UploadOptions, object: ObjectEntry, path: string, onBytes: (delta: number) => void): Promise<UploadedObject> {
	// The source's single-part ETag is its content's MD5: once the sha256 proves the file is that
	// content, the gateway's ETag must equal it, and hashing MD5 here too would only cost CPU.
	// The body is the manifest's size: a longer file would otherwise pass on its first bytes alone.
	if (statSync(path).size !== object.size) throw damaged(path, 'nothing of it was uploaded');
	const md5 = isSinglePartEtag(object.etag) ? undefined : createHash('md5');
	const sha256 = createHash('sha256');
	const body = fileBody(path, { start: 0, length: object.size, chunkBytes: READ_CHUNK_BYTES }, (chunk) => {
		md5?.update(chunk);
		sha256.update(chunk);
		onBytes(chunk.length);
	});
	try {
		const response = await options.http.put(options.bucket, object.key, body, object.size, options.signal);
		if (sha256.digest('hex') !== object.sha256) throw damaged(path, 'its object was uploaded but the restore stops here');
		return checkEtag(options, object, response.etag, md5 ? md5.digest('hex') : (object.etag as string).toLowerCase());
	} catch (error) {
		// The gateway never had the whole body, so it made no object.
		if (error instanceof ShortFile) throw damaged(path, 'nothing of it was stored');
		throw error;
	}
}

/** Parts streamed from ranges of the file; the object appears only if the whole file matches the manifest. */
async function uploadByParts(options: UploadContext, object: ObjectEntry, path: string, onBytes: (delta: number) => void): Promise<UploadedObject> {
	try {
		const { etag } = await uploadInParts(
			{ s3: options.s3, http: options.http, bucket: options.bucket, key: object.key, path, size: object.size, partSize: partSizeFor(object.size, options.partSize), concurrency: PARTS_IN_FLIGHT, slots: options.slots, onBytes, signal: options.signal },
			object.sha256,
		);
		return { bucket: options.bucket, key: object.key, size: object.size, etag };
	} catch (error) {
		if (error instanceof SourceMismatch || error instanceof ShortFile) throw damaged(path, 'its upload was abandoned, so no object was made');
		if (error instanceof UserError || (error as NodeJS.ErrnoException).code === 'ENOENT' || (error as Error).name === 'AbortError') throw error;
		// Each part already had its retries: a whole new upload would only multiply them.
		throw explainS3Error(error, options.endpoint, options.bucket, options.signal);
	}
}

/** Parts of one object in flight at once. */
const PARTS_IN_FLIGHT = 4;

/** Small objects (most of a Deis store) are read whole and checked against the manifest before a byte leaves. */
async function uploadSmall(options: UploadOptions, object: ObjectEntry, path: string, onBytes: (delta: number) => void): Promise<UploadedObject> {
	const data = readSmallFile(path, object.size);
	if (!data || createHash('sha256').update(data).digest('hex') !== object.sha256) throw damaged(path, 'nothing of it was uploaded');
	const response = await options.http.put(options.bucket, object.key, data, data.length, options.signal);
	onBytes(data.length);
	return checkEtag(options, object, response.etag, createHash('md5').update(data).digest('hex'));
}

/**
 * The file's bytes, or undefined when its size is not the manifest's (never
 * reads a swapped-in huge file whole). Synchronous, as the downloads' small
 * files are (see download.ts): four thread-pool round trips cost more than
 * the page-cache copy.
 */
function readSmallFile(path: string, size: number): Buffer | undefined {
	const fd = openSync(path, 'r');
	try {
		if (fstatSync(fd).size !== size) return undefined;
		const data = Buffer.allocUnsafe(size);
		for (let filled = 0; filled < size; ) {
			const bytesRead = readSync(fd, data, filled, size - filled, filled);
			if (bytesRead === 0) return undefined;
			filled += bytesRead;
		}
		return data;
	} finally {
		closeSync(fd);
	}
}

function damaged(path: string, consequence: string): UserError {
	return new UserError(`${path} does not match the checksum in manifest.json (the backup folder is damaged); ${consequence}: run deis-backup verify on the folder.`, EXIT.mismatch);
}

function checkEtag(options: UploadOptions, object: ObjectEntry, etag: string | undefined, md5: string): UploadedObject {
	if (etag && etag.toLowerCase() !== md5) {
		throw new UserError(`The gateway stored ${options.bucket}/${object.key} with a different checksum than was uploaded; the connection corrupted it: run the restore again.`);
	}
	return { bucket: options.bucket, key: object.key, size: object.size, etag, md5 };
}
