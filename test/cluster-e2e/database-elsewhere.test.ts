/**
 * When fleet runs deis-database on another machine than the one we connect
 * to, the dump is taken there, reached through the first machine (ssh -J).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readManifest } from '../../source/archive/manifest.js';
import { loadCluster, makeSource, setUnitMachine, type ClusterEnv } from '../cluster/env.js';
import { connectionFlags, runCli } from '../support/cli.js';
import { addSecondHost, canMakeHosts, type SecondHost } from './second-host.js';

const unavailable = canMakeHosts();
let cluster: ClusterEnv;
let second: SecondHost | undefined;
let root: string;

before(async () => {
	// Without network namespaces the file fails with the reason: a skip would read as a pass.
	assert.equal(unavailable, undefined, unavailable);
	cluster = loadCluster();
	await makeSource();
	root = await mkdtemp(join(tmpdir(), 'db-elsewhere-'));
	second = await addSecondHost();
});

after(async () => {
	if (!cluster) return;
	setUnitMachine('deis-database@1.service', cluster.host);
	await second?.remove();
	if (root) await rm(root, { recursive: true, force: true });
});

test('the database dump comes from the machine fleet names, through the first one', async () => {
	const host = second as SecondHost;
	setUnitMachine('deis-database@1.service', host.ip);
	const knownHosts = join(root, 'known_hosts');
	await writeFile(knownHosts, `${await readFile(cluster.knownHosts, 'utf8')}${host.knownHostsLine}\n`);
	const out = join(root, 'backup');
	const result = await runCli(['backup', ...connectionFlags({ ...cluster, knownHosts }), '--skip-volume', '--out', out]);
	assert.equal(result.code, 0, result.stderr);
	assert.match(result.stderr, new RegExp(`Dump the database on ${host.ip.replaceAll('.', '\\.')}`));
	const manifest = await readManifest(out);
	assert.equal(manifest.database?.host, host.ip);
	assert.match(await readFile(join(out, 'dump_all.sql'), 'utf8'), /COPY public\.api_app/);
});

test('the first machine alone cannot dump a database that runs elsewhere', async () => {
	// An address inside the test subnet (/29) where no machine answers: traffic stays on the veth.
	setUnitMachine('deis-database@1.service', '10.213.7.5');
	const result = await runCli(['backup', ...connectionFlags(cluster), '--skip-volume', '--out', join(root, 'unreachable')]);
	assert.equal(result.code, 1);
	assert.match(result.stderr.trim().split('\n').at(-1) ?? '', /10\.213\.7\.5/);
});
