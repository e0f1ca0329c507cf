// deis-database: the procedure's pg_dumpall through `docker exec`, and its fault switch.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { commands } from '../../source/cluster/commands.js';
import { dockerLog, loadCluster, runOnHost, setFault } from '../cluster/env.js';

const env = loadCluster();

after(() => setFault('pg_dumpall', false));

test('`docker exec deis-database sudo -u postgres pg_dumpall` prints the whole database', async () => {
	const res = await runOnHost(env, commands.pgDumpAll());
	assert.equal(res.code, 0, res.stderr);
	const sql = res.stdout.toString();
	assert.match(sql, /^-- PostgreSQL database cluster dump/m);
	assert.match(sql, /COPY public\.api_app \(uuid, created, updated, owner, id, structure\) FROM stdin;/);
	for (const app of ['webapp', 'api-staging', 'worker-jobs']) assert.match(sql, new RegExp(`\\t${app}\\t`), app);
	assert.match(sql, /-----BEGIN CERTIFICATE-----/);
	assert.match(sql, /-- PostgreSQL database cluster dump complete/);
	assert.equal(dockerLog().at(-1), 'exec deis-database sudo -u postgres pg_dumpall');
});

test('with the pg_dumpall fault on the dump fails half-way: partial output, an error, exit 1', async () => {
	setFault('pg_dumpall', true);
	const res = await runOnHost(env, commands.pgDumpAll());
	assert.equal(res.code, 1);
	assert.match(res.stderr, /pg_dumpall: error/);
	const sql = res.stdout.toString();
	assert.match(sql, /COPY public\.api_app /, 'some of the deis database came before the failure');
	assert.doesNotMatch(sql, /database cluster dump complete/);
	setFault('pg_dumpall', false);
	assert.equal((await runOnHost(env, commands.pgDumpAll())).code, 0, 'switching the fault off restores dumps');
});

test('an unsupported command in the database container fails clearly', async () => {
	const res = await runOnHost(env, ['docker', 'exec', 'deis-database', 'rm', '-rf', '/']);
	assert.notEqual(res.code, 0);
	assert.match(res.stderr, /unsupported command/);
});
