/**
 * Demo-cluster helpers for the reliability tests: a source cluster with a
 * clean backup, an S3 client with a cluster's keys, object checks, and
 * known_hosts for a proxy port.
 */
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsCommand, S3Client } from '@aws-sdk/client-s3';
import { v2Signer } from '../../cluster/lib/sigv2.js';
import type { Manifest } from '../../../source/archive/manifest.js';
import { startDemoCluster, type DemoCluster } from '../../../source/demo/cluster.js';
import { connectionFlags } from '../../support/cli.js';
import { runToEnd } from './cli.js';

export interface SourceWithBackup {
	/** A new temporary folder holding the cluster and the backup; the caller removes it. */
	root: string;
	source: DemoCluster;
	/** A complete backup of the source, made by the compiled CLI (`<root>/<name>`). */
	backup: string;
}

/** Where most reliability tests start: a source demo cluster and a clean backup of it. */
export async function sourceWithBackup(prefix: string, name: string): Promise<SourceWithBackup> {
	const root = await mkdtemp(join(tmpdir(), prefix));
	const source = await startDemoCluster({ root, mode: 'source' });
	const backup = join(root, name);
	const clean = await runToEnd(['backup', ...connectionFlags(source.connection), '--out', backup]);
	assert.equal(clean.code, 0, clean.stderr);
	return { root, source, backup };
}

/** Signed v2, as the demo's Deis v1 gateway demands. */
export function s3For(cluster: Pick<DemoCluster, 'gatewayKeys'>, endpoint: string): S3Client {
	return new S3Client({
		signer: v2Signer(cluster.gatewayKeys),
		endpoint,
		region: 'us-east-1',
		forcePathStyle: true,
		credentials: { accessKeyId: cluster.gatewayKeys.accessKey, secretAccessKey: cluster.gatewayKeys.secretKey },
		requestChecksumCalculation: 'WHEN_REQUIRED',
		responseChecksumValidation: 'WHEN_REQUIRED',
	});
}

export async function listKeys(s3: S3Client, bucket: string): Promise<Map<string, number>> {
	const keys = new Map<string, number>();
	let marker: string | undefined;
	try {
		// A v1 listing, paged by marker: the only kind a Deis v1 gateway gives.
		do {
			const page = await s3.send(new ListObjectsCommand({ Bucket: bucket, Marker: marker }));
			for (const item of page.Contents ?? []) keys.set(item.Key as string, item.Size ?? 0);
			marker = page.IsTruncated ? (page.NextMarker ?? page.Contents?.at(-1)?.Key) : undefined;
		} while (marker);
	} catch (error) {
		if ((error as { name?: string }).name === 'NoSuchBucket') return keys;
		throw error;
	}
	return keys;
}

export async function objectSha256(s3: S3Client, bucket: string, key: string): Promise<string> {
	const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
	return createHash('sha256').update(Buffer.from(await (response.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray())).digest('hex');
}

/**
 * Objects of the backup found in the cluster: each must be byte-identical
 * (a partial upload must never be visible). Returns how many are there.
 */
export async function objectsPresentAndExact(s3: S3Client, manifest: Manifest): Promise<{ present: number; total: number; wrong: string[] }> {
	let present = 0;
	let total = 0;
	const wrong: string[] = [];
	for (const bucket of manifest.buckets) {
		const there = await listKeys(s3, bucket.name);
		for (const object of bucket.objects) {
			total++;
			if (!there.has(object.key)) continue;
			present++;
			if (there.get(object.key) !== object.size || (await objectSha256(s3, bucket.name, object.key)) !== object.sha256) wrong.push(`${bucket.name}/${object.key}`);
		}
	}
	return { present, total, wrong };
}

/** A known_hosts file trusting the cluster's host key when reached through another port (a proxy). */
export async function knownHostsForPort(cluster: DemoCluster, port: number, file: string): Promise<string> {
	const line = (await readFile(cluster.connection.knownHosts as string, 'utf8')).trim();
	const rest = line.slice(line.indexOf(' ') + 1);
	await writeFile(file, `[127.0.0.1]:${port} ${rest}\n`, { mode: 0o600 });
	return file;
}

/** Commands the demo host refused as unquoted shell syntax (exit 127, no argv). */
export function refusedCommands(cluster: DemoCluster): string[] {
	return cluster.log.filter((entry) => entry.argv === null).map((entry) => entry.command);
}
