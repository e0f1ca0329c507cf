/**
 * deis-database: PostgreSQL as the postgres user on a loopback port, holding
 * the controller's tables. fsync is off: the data is rebuilt on every `up`.
 */
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fixturesDir, LOOPBACK, paths, ports } from './paths.js';
import { asUser, logFile, run, runArgv, startDaemon, stopDaemon, waitFor } from './proc.js';
import { lookupUser } from './users.js';

export const pgDataDir = join(paths.postgres, 'data');

/** The newest installed PostgreSQL's bin folder (Debian keeps each major under /usr/lib/postgresql). */
export function pgBinDir(): string {
	const root = '/usr/lib/postgresql';
	const versions = existsSync(root)
		? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin/postgres'))).sort((a, b) => Number(b) - Number(a))
		: [];
	if (!versions[0]) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql: run test/setup-system.sh');
	return join(root, versions[0], 'bin');
}

function psql(...args: string[]) {
	return run(join(pgBinDir(), 'psql'), ['-h', LOOPBACK, '-p', String(ports.postgres), '-U', 'postgres', '-XAtq', '-v', 'ON_ERROR_STOP=1', ...args]);
}

function serverArgv(bin: string, dataDir: string): string[] {
	return asUser('postgres', [
		join(bin, 'postgres'), '-D', dataDir, '-p', String(ports.postgres), '-k', dataDir,
		'-c', `listen_addresses=${LOOPBACK}`, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
	]);
}

async function startServer(name: string, dataDir: string): Promise<void> {
	startDaemon(name, serverArgv(pgBinDir(), dataDir));
	await waitFor(name, async () => (await psql('-c', 'SELECT 1')).stdout.trim() === '1', 20000, logFile(name));
}

/** A cluster with the deis database loaded, kept between runs: initdb + load cost seconds of CPU. */
function templateDir(): string {
	const fixture = readFileSync(join(fixturesDir, 'deis-database.sql'));
	const version = basename(dirname(pgBinDir()));
	return join(paths.cache, `postgres-${version}-${createHash('sha256').update(fixture).digest('hex').slice(0, 12)}`);
}

async function buildTemplate(dir: string): Promise<void> {
	const pg = lookupUser('postgres');
	const building = `${dir}.building`;
	rmSync(building, { recursive: true, force: true });
	mkdirSync(building, { recursive: true, mode: 0o700 });
	chownSync(building, pg.uid, pg.gid);
	await runArgv(asUser('postgres', [join(pgBinDir(), 'initdb'), '-D', building, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']));
	await startServer('postgres-template', building);
	try {
		await psql('-c', 'CREATE DATABASE deis');
		await psql('-d', 'deis', '-f', join(fixturesDir, 'deis-database.sql'));
	} finally {
		// Fast shutdown still writes a clean checkpoint: the copy starts without recovery.
		await stopDaemon('postgres-template', 'SIGINT');
	}
	renameSync(building, dir);
}

export async function startPostgres(): Promise<void> {
	const template = templateDir();
	if (!existsSync(join(template, 'PG_VERSION'))) await buildTemplate(template);
	rmSync(pgDataDir, { recursive: true, force: true });
	await run('cp', ['-a', template, pgDataDir]);
	await startServer('postgres', pgDataDir);
}

/** SIGINT is PostgreSQL's fast shutdown. */
export function stopPostgres(): Promise<void> {
	return stopDaemon('postgres', 'SIGINT');
}
