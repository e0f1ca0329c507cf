/**
 * The procedure's optional text dump: `docker exec deis-database sudo -u
 * postgres pg_dumpall`, streamed home. An empty, failed or cut-short dump is
 * an error: pg_dumpall ends every complete dump with a closing comment.
 */
import { commands } from '../cluster/commands.js';
import { lastLine } from '../cluster/deisctl.js';
import type { RemoteHost } from '../cluster/ssh.js';
import { UserError } from '../errors.js';
import type { FileEntry } from '../archive/manifest.js';
import { explainDiskError } from '../archive/disk-errors.js';
import { HashingFile } from '../archive/hashing-file.js';
import type { Report } from '../progress.js';

const COMPLETE_MARK = '-- PostgreSQL database cluster dump complete';

export async function dumpDatabase(host: RemoteHost, target: string, report: Report, signal?: AbortSignal): Promise<FileEntry> {
	const file = new HashingFile(target, (bytes) => report({ stage: 'database', item: 'dump_all.sql', bytesDone: bytes }));
	try {
		const result = await host.stream(commands.pgDumpAll(), { stdout: file, signal });
		await file.finish();
		if (signal?.aborted) throw new UserError('Stopped during the database dump; run the same command again to resume.', 130);
		if (result.code !== 0) {
			throw new UserError(`pg_dumpall failed on ${host.label} (exit ${result.code ?? 'none'}): ${lastLine(result.stderr)}; the partial dump was discarded (skip it with --skip-database: the db_wal bucket already holds the database's backups).`);
		}
		if (file.bytes === 0 || !file.tail.toString('latin1').includes(COMPLETE_MARK)) {
			throw new UserError(`The database dump from ${host.label} is empty or cut short; it was discarded: check deis-database is running and run again.`);
		}
		const sha256 = file.digest();
		await file.commit();
		return { file: target, size: file.bytes, sha256 };
	} catch (error) {
		await file.discard();
		throw explainDiskError(error, target) ?? error;
	}
}
