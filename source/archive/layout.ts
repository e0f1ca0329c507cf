/**
 * The backup folder:
 *
 *   <folder>/manifest.json            written last: the proof of a finished backup
 *   <folder>/buckets/<bucket>/...     each bucket's objects under its own directory
 *   <folder>/store_file_backup.tar.gz /var/lib/deis/store, as the procedure names it
 *   <folder>/dump_all.sql             pg_dumpall of the database
 *   <folder>/platform-settings.json   the operator's etcd settings (settings-file.ts)
 *   <folder>/.deis-backup/            journals that make an interrupted run resumable
 */
import { join } from 'node:path';

export const STORE_TARBALL = 'store_file_backup.tar.gz';
export const DATABASE_DUMP = 'dump_all.sql';
export const STATE_DIR = '.deis-backup';

export function bucketFolder(bucket: string): string {
	return `buckets/${bucket}`;
}

export function journalPath(folder: string, name: string): string {
	return join(folder, STATE_DIR, `${name}.jsonl`);
}

/**
 * `deis.example.com-backup-2026-11-25`: one folder per cluster and UTC day,
 * so running the same command again finds the run it continues (an
 * interrupted one resumes; a finished one is refreshed, downloading only what
 * changed) instead of starting over in a new timestamped folder.
 */
export function defaultBackupName(domain: string, now = new Date()): string {
	const day = now.toISOString().slice(0, 10);
	const safeDomain = domain.replace(/[^A-Za-z0-9.-]/g, '_');
	return `${safeDomain}-backup-${day}`;
}
