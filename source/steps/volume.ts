/**
 * The store volume (/var/lib/deis/store): the procedure's
 * `ssh core@<host> 'cd /var/lib/deis/store && sudo tar cpzf …'` + rsync,
 * streamed straight over the SSH channel into the backup folder, and back.
 */
import { stat } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { commands } from '../cluster/commands.js';
import type { RemoteHost } from '../cluster/ssh.js';
import { lastLine } from '../cluster/deisctl.js';
import { EXIT, UserError } from '../errors.js';
import type { FileEntry } from '../archive/manifest.js';
import type { TarContents } from '../archive/tar-list.js';
import { hashFile } from '../util/hash-file.js';
import { tappedFile } from '../util/tap.js';
import { explainDiskError } from '../archive/disk-errors.js';
import { HashingFile } from '../archive/hashing-file.js';
import type { Report } from '../progress.js';

export const LIVE_CHANGE_WARNING = 'file changed as we read it';

export interface VolumeBackup extends FileEntry {
	warnings: string[];
}

/**
 * GNU tar exits 1 when a file changed while it was read: on a live cluster the
 * logs always do, so that is a warning. Anything else, or a stream that ends
 * before gzip's trailer and tar's end-of-archive, is an error.
 */
export async function backupVolume(host: RemoteHost, target: string, report: Report, signal?: AbortSignal): Promise<VolumeBackup> {
	const file = new HashingFile(target, (bytes) => report({ stage: 'volume', item: 'store_file_backup.tar.gz', bytesDone: bytes }));
	const check = new TarballCheck((await import('../archive/tar-list.js')).tarGzReader());
	const tee = new Writable({
		write(chunk: Buffer, _encoding, callback) {
			check.write(chunk);
			if (!file.write(chunk)) file.once('drain', () => callback());
			else callback();
		},
	});
	// A failed write (a full disk) must end the transfer, not leave tar waiting on a 'drain' that never comes.
	file.on('error', (error) => tee.destroy(error));
	try {
		const result = await host.stream(commands.tarStore(), { stdout: tee, signal });
		await file.finish();
		const complete = await check.end();
		const warnings = result.stderr
			.split('\n')
			.filter((line) => line.includes(LIVE_CHANGE_WARNING))
			.map((line) => line.trim());
		if (signal?.aborted) throw new UserError('Stopped during the store volume archive; run the same command again to resume.', 130);
		if (result.code === null) throw new UserError(`The SSH session to ${host.label} ended before tar finished; the partial archive was discarded: run the backup again.`);
		if (result.code === 1 && warnings.length === 0) throw new UserError(`tar on ${host.label} failed: ${lastLine(result.stderr)}.`);
		if (result.code > 1) throw new UserError(`tar on ${host.label} failed (exit ${result.code}): ${lastLine(result.stderr)}; check that /var/lib/deis/store exists and sudo works for ${host.label.split('@')[0]}.`);
		if (!complete) throw new UserError(`The volume archive from ${host.label} arrived incomplete; the partial archive was discarded: run the backup again.`);
		const sha256 = file.digest();
		await file.commit();
		return { file: target, size: file.bytes, sha256, warnings };
	} catch (error) {
		await file.discard();
		throw explainDiskError(error, target) ?? error;
	}
}

/**
 * Streams a saved tarball into the new cluster's store volume, keeping owners.
 * With `expectedSha256` (the manifest's), a tarball that does not match is
 * refused before anything is extracted: tar would unpack a damaged archive
 * up to the damage and leave the volume half restored.
 */
export async function restoreVolume(host: RemoteHost, tarball: string, report: Report, signal?: AbortSignal, expectedSha256?: string): Promise<void> {
	if (expectedSha256 !== undefined && (await hashFile(tarball, 'sha256')) !== expectedSha256) {
		throw new UserError(`${tarball} does not match the checksum in manifest.json (the backup folder is damaged); nothing was extracted: run deis-backup verify on the folder.`, EXIT.mismatch);
	}
	const size = (await stat(tarball)).size;
	let sent = 0;
	const input = tappedFile(tarball, {}, (chunk) => {
		sent += chunk.length;
		report({ stage: 'volume', item: 'store_file_backup.tar.gz', bytesDone: sent, bytesTotal: size });
	});
	const result = await host.stream(commands.untarStore(), { stdin: input, signal });
	// Ctrl-C closes the channel, so tar reports no status: say it was a stop, and how to resume.
	if (signal?.aborted) throw new UserError('Stopped during the store volume extraction; run the same command again to resume.', 130);
	if (result.code !== 0) {
		throw new UserError(`Extracting the volume archive on ${host.label} failed (exit ${result.code ?? 'none'}): ${lastLine(result.stderr)}.`);
	}
}

/**
 * Reads the archive alongside the download to prove it whole: gzip checks its
 * CRC and length, every tar header and entry must be complete, and the
 * archive must end with tar's end-of-archive.
 */
class TarballCheck {
	private failed = false;
	private readonly done: Promise<boolean>;

	constructor(private readonly reader: { input: Writable; contents: Promise<TarContents> }) {
		this.done = reader.contents.then(
			(contents) => contents.ended,
			() => {
				this.failed = true;
				return false;
			},
		);
	}

	write(chunk: Buffer): void {
		// Once the verdict is in, the rest of the download only needs saving.
		if (!this.failed) this.reader.input.write(chunk);
	}

	end(): Promise<boolean> {
		if (!this.failed) this.reader.input.end();
		return this.done;
	}
}

/** After extraction: every regular file of the archive on the host, with its size. */
export async function verifyExtracted(host: RemoteHost, tarball: string): Promise<string[]> {
	const { listTarGz } = await import('../archive/tar-list.js');
	const expected = await listTarGz(tarball);
	const result = await host.run(commands.listStore());
	if (result.code !== 0) throw new UserError(`Could not list /var/lib/deis/store on ${host.label}: ${lastLine(result.stderr)}.`);
	const present = new Map<string, number>();
	for (const line of result.stdout.split('\n')) {
		const space = line.indexOf(' ');
		if (space > 0) present.set(line.slice(space + 1), Number(line.slice(0, space)));
	}
	const problems: string[] = [];
	for (const file of expected) {
		const size = present.get(file.path);
		if (size === undefined) problems.push(`missing ${file.path}`);
		else if (size !== file.size) problems.push(`${file.path}: ${size} bytes, archive has ${file.size}`);
	}
	return problems;
}
