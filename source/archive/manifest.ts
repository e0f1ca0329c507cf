/**
 * manifest.json: the proof of what a backup holds. Written last and
 * atomically; a folder without one is an unfinished backup.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { StageId } from '../progress.js';
import { explainDiskError } from './disk-errors.js';
import { isValidBucketName } from '../validate.js';
import { writeFileAtomic } from '../util/atomic.js';
import type { SettingsEntry } from './settings-file.js';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'deis-backup/1';

export interface ObjectEntry {
	key: string;
	/** Relative to the bucket's folder. */
	path: string;
	size: number;
	sha256: string;
	/** The gateway's ETag, for reference only: multipart ETags are not content hashes. */
	etag?: string;
}

/** database: db_wal, registry: registry, extra: named with --buckets. */
export type BucketRole = 'database' | 'registry' | 'extra';

export interface BucketEntry {
	role: BucketRole;
	name: string;
	/** Folder of this bucket's objects, relative to the backup folder. */
	folder: string;
	objects: ObjectEntry[];
}

export interface FileEntry {
	file: string;
	size: number;
	sha256: string;
}

export interface StepOutcome {
	stage: StageId;
	outcome: 'done' | 'skipped' | 'warning' | 'failed';
	message?: string;
}

export interface Manifest {
	format: typeof MANIFEST_FORMAT;
	tool: { name: string; version: string };
	cluster: { domain: string; host: string; port: number; user: string; storeEndpoint: string };
	startedAt: string;
	completedAt: string;
	buckets: BucketEntry[];
	volume?: FileEntry & { warnings: string[] };
	database?: FileEntry & { host: string };
	/** The controller's keys in etcd at backup time: what a restore must bring back. */
	etcdKeys?: string[];
	/** The operator's etcd settings (platform-settings.json), absent when etcd could not be read. */
	settings?: SettingsEntry;
	/** What the cluster said about itself: its release and the domain set in etcd. */
	platform?: PlatformFacts;
	steps: StepOutcome[];
}

export interface PlatformFacts {
	version?: string;
	/** `etcd`: /deis/platform/version; `deis-release`: the host's /etc/deis-release. */
	versionSource?: 'etcd' | 'deis-release';
	/** /deis/platform/domain. */
	domain?: string;
}

export async function writeManifest(folder: string, manifest: Manifest): Promise<void> {
	try {
		await writeFileAtomic(join(folder, MANIFEST_FILE), `${JSON.stringify(manifest, null, '\t')}\n`);
	} catch (error) {
		throw explainDiskError(error, folder) ?? error;
	}
}

export async function readManifest(folder: string): Promise<Manifest> {
	let text: string;
	try {
		// Decoded in one piece: read as text, a large manifest went through a stream decoder chunk by chunk.
		text = (await readFile(join(folder, MANIFEST_FILE))).toString('utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			throw new UserError(`${folder} holds no ${MANIFEST_FILE}: it is not a finished deis-backup folder (an interrupted backup resumes when you run the same backup command again).`);
		}
		throw error;
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		throw new UserError(`${join(folder, MANIFEST_FILE)} is not valid JSON; the backup folder is damaged.`);
	}
	return validateManifest(parsed, folder);
}

export async function readManifestIfPresent(folder: string): Promise<Manifest | undefined> {
	try {
		return await readManifest(folder);
	} catch (error) {
		if (error instanceof UserError && /holds no/.test(error.message)) return undefined;
		throw error;
	}
}

const SHA256 = /^[0-9a-f]{64}$/;

/** A manifest is input too: a tampered one must not steer writes outside the folder. */
export function validateManifest(value: unknown, folder: string): Manifest {
	const bad = (why: string) => new UserError(`${join(folder, MANIFEST_FILE)} is damaged or was edited (${why}); use an untouched backup.`);
	if (!isRecord(value) || value.format !== MANIFEST_FORMAT) throw bad('unknown format');
	if (!Array.isArray(value.buckets) || !Array.isArray(value.steps) || !isRecord(value.cluster)) throw bad('missing sections');
	for (const bucket of value.buckets as unknown[]) {
		if (!isRecord(bucket) || typeof bucket.name !== 'string' || typeof bucket.folder !== 'string' || !Array.isArray(bucket.objects)) throw bad('bucket entry');
		if (!isSafeRelative(bucket.folder)) throw bad(`bucket folder ${JSON.stringify(bucket.folder)}`);
		// The name goes to the gateway on restore (CreateBucket, PutObject): only names a backup could have written.
		if (!isValidBucketName(bucket.name)) throw bad(`bucket name ${JSON.stringify(bucket.name)}`);
		for (const object of bucket.objects as unknown[]) {
			if (!isRecord(object) || typeof object.key !== 'string' || typeof object.path !== 'string') throw bad('object entry');
			if (!isSafeRelative(object.path)) throw bad(`object path ${JSON.stringify(object.path)}`);
			if (typeof object.size !== 'number' || !Number.isSafeInteger(object.size) || object.size < 0) throw bad(`size of ${JSON.stringify(object.key)}`);
			if (typeof object.sha256 !== 'string' || !SHA256.test(object.sha256)) throw bad(`checksum of ${JSON.stringify(object.key)}`);
		}
	}
	for (const name of ['volume', 'database'] as const) {
		const entry = value[name];
		if (entry === undefined) continue;
		if (!isRecord(entry) || typeof entry.file !== 'string' || !isSafeRelative(entry.file) || typeof entry.size !== 'number' || typeof entry.sha256 !== 'string' || !SHA256.test(entry.sha256)) {
			throw bad(`${name} entry`);
		}
	}
	if (value.settings !== undefined) {
		const entry = value.settings;
		const checksums = (map: unknown) => isRecord(map) && Object.values(map).every((sum) => typeof sum === 'string' && SHA256.test(sum));
		if (!isRecord(entry) || typeof entry.file !== 'string' || !isSafeRelative(entry.file) || typeof entry.sha256 !== 'string' || !SHA256.test(entry.sha256) || !checksums(entry.values) || !checksums(entry.unknown)) {
			throw bad('settings entry');
		}
	}
	return value as unknown as Manifest;
}

/** Segments of anything but slashes, backslashes and control characters, one slash between them: not absolute, none empty. */
const RELATIVE_PATH = /^[^/\\\u0000-\u001f]+(?:\/[^/\\\u0000-\u001f]+)*$/;
/** A `.` or `..` segment anywhere. */
const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/;

/** No absolute paths, no `..`, no empty or control-character segments. */
export function isSafeRelative(path: string): boolean {
	// Two scans of the string, not a split and a test per segment: a manifest holds one path per object.
	return RELATIVE_PATH.test(path) && !DOT_SEGMENT.test(path);
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
