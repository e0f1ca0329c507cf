/**
 * `s3cmd sync s3://<bucket> .`, done safely: every object streamed to a
 * temporary file while its sha256 is computed in the same pass, renamed only
 * when its size matches the listing, and journaled so an interrupted mirror
 * resumes. Objects saved before with the same size and ETag are not fetched.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ObjectHttp } from '../../cluster/object-http.js';
import { temporarySibling } from '../../archive/atomic.js';
import { Directories } from '../../archive/directories.js';
import { Journal } from '../../archive/journal.js';
import { planKeyPaths } from '../../archive/key-paths.js';
import type { ObjectEntry } from '../../archive/manifest.js';
import { UserError } from '../../errors.js';
import { runPool } from '../../util/pool.js';
import type { Report } from '../progress.js';
import { explainDiskError } from '../disk.js';
import { explainS3Error } from './explain.js';
import { listBucket, type RemoteObject } from './listing.js';
import { ShortTransfer, withRetriedProgress } from './retry.js';

export interface MirrorOptions {
	s3: S3Client;
	http: ObjectHttp;
	endpoint: string;
	bucket: string;
	/** Absolute folder receiving the bucket's objects. */
	folder: string;
	/** What earlier runs saved (manifest and journal), by key. */
	previous: ReadonlyMap<string, ObjectEntry>;
	journalPath: string;
	concurrency: number;
	report: Report;
	signal?: AbortSignal;
}

interface FetchContext extends MirrorOptions {
	directories: Directories;
}

export interface MirrorResult {
	objects: ObjectEntry[];
	fetched: number;
	fetchedBytes: number;
	reused: number;
}

export async function mirrorBucket(options: MirrorOptions): Promise<MirrorResult> {
	const { s3, bucket, folder, report, signal } = options;
	let listing: RemoteObject[];
	try {
		listing = await listBucket(s3, bucket, signal);
	} catch (error) {
		throw explainS3Error(error, options.endpoint, bucket);
	}
	const paths = planKeyPaths(listing.map((object) => object.key));
	const done = new Map<string, ObjectEntry>();
	const toFetch: RemoteObject[] = [];
	for (const remote of listing) {
		const path = paths.get(remote.key) as string;
		const saved = options.previous.get(remote.key);
		if (saved && saved.path === path && saved.size === remote.size && saved.etag === remote.etag && (await sizeOnDisk(join(folder, path))) === saved.size) {
			done.set(remote.key, saved);
		} else {
			toFetch.push(remote);
		}
	}

	const bytesTotal = toFetch.reduce((sum, object) => sum + object.size, 0);
	let bytesDone = 0;
	let itemsDone = done.size;
	const itemsTotal = listing.length;
	report({ stage: 'buckets', item: bucket, bytesDone, bytesTotal, itemsDone, itemsTotal });

	let savedBytes = 0;
	let journal: Journal<ObjectEntry> | undefined;
	try {
		journal = await Journal.open<ObjectEntry>(options.journalPath);
		const open = journal;
		const context: FetchContext = { ...options, directories: new Directories() };
		await runPool(
			toFetch,
			options.concurrency,
			async (remote) => {
				const path = paths.get(remote.key) as string;
				const entry = await fetchObject(context, remote, path, (delta) => {
					bytesDone += delta;
					report({ stage: 'buckets', item: remote.key, bytesDone, bytesTotal, itemsDone, itemsTotal });
				});
				done.set(remote.key, entry);
				open.append(entry);
				savedBytes += entry.size;
				itemsDone++;
			},
			signal,
		);
	} catch (error) {
		// A full disk is named with what this bucket still needed, so the operator knows how much room to make.
		throw explainDiskError(error, options.folder, bytesTotal - savedBytes) ?? error;
	} finally {
		await journal?.close();
	}
	report({ stage: 'buckets', item: bucket, bytesDone, bytesTotal, itemsDone, itemsTotal });
	// Listing order, so the manifest is stable from run to run.
	const objects = listing.map((remote) => done.get(remote.key) as ObjectEntry);
	return { objects, fetched: toFetch.length, fetchedBytes: bytesTotal, reused: listing.length - toFetch.length };
}

async function fetchObject(options: FetchContext, remote: RemoteObject, path: string, onBytes: (delta: number) => void): Promise<ObjectEntry> {
	const target = join(options.folder, path);
	try {
		// A reset, a stall or a cut-short body fetches the object again from the start.
		return await withRetriedProgress((counted) => fetchOnce(options, remote, path, target, counted), onBytes, { signal: options.signal });
	} catch (error) {
		// Disk errors stay as they are: mirrorBucket names them with the space still needed.
		if (explainDiskError(error, options.folder)) throw error;
		if (error instanceof ShortTransfer) {
			throw new UserError(`${error.message}; the object changed during the backup or the connection kept breaking: run the backup again.`);
		}
		throw explainS3Error(error, options.endpoint, options.bucket);
	}
}

async function fetchOnce(options: FetchContext, remote: RemoteObject, path: string, target: string, onBytes: (delta: number) => void): Promise<ObjectEntry> {
	const temporary = temporarySibling(target);
	const hash = createHash('sha256');
	let size = 0;
	let etag = remote.etag;
	try {
		await options.directories.ensure(dirname(target));
		const response = await options.http.get(options.bucket, remote.key, options.signal);
		etag = response.etag ?? etag;
		const body = response.body;
		if (remote.size <= IN_MEMORY_BYTES) {
			// Small objects (most WAL segments and registry JSON) are gathered and written in one call:
			// a write stream per object costs more than the object.
			const chunks: Buffer[] = [];
			for await (const chunk of body) {
				const data = chunk as Buffer;
				hash.update(data);
				size += data.length;
				chunks.push(data);
				onBytes(data.length);
				if (size > IN_MEMORY_BYTES) break;
			}
			checkSize(options, remote, size);
			await writeFile(temporary, Buffer.concat(chunks, size), { mode: 0o600, signal: options.signal });
		} else {
			body.on('data', (chunk: Buffer) => {
				hash.update(chunk);
				size += chunk.length;
				onBytes(chunk.length);
			});
			await pipeline(body, createWriteStream(temporary, { mode: 0o600, highWaterMark: 1024 * 1024 }), { signal: options.signal });
			checkSize(options, remote, size);
		}
		await rename(temporary, target);
	} catch (error) {
		await rm(temporary, { force: true });
		throw error;
	}
	return { key: remote.key, path, size, sha256: hash.digest('hex'), etag };
}

/** Objects up to this size are held in memory between the gateway and the disk. */
const IN_MEMORY_BYTES = 1024 * 1024;

function checkSize(options: MirrorOptions, remote: RemoteObject, size: number): void {
	if (size !== remote.size) {
		throw new ShortTransfer(`The gateway sent ${size} bytes of ${options.bucket}/${remote.key} where the listing says ${remote.size}`);
	}
}

async function sizeOnDisk(path: string): Promise<number | undefined> {
	try {
		return (await stat(path)).size;
	} catch {
		return undefined;
	}
}
