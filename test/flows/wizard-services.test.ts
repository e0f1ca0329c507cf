/**
 * The wizard's real services against a demo cluster: the checks behind each
 * prompt, and a first connection's host key shown then trusted.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createWizardServices } from '../../source/commands/wizard-services.js';
import { startDemoCluster, type DemoCluster } from '../../source/demo/cluster.js';

let root: string;
let source: DemoCluster;
const services = createWizardServices({ concurrency: 8 });

before(async () => {
	root = await mkdtemp(join(tmpdir(), 'wizard-services-'));
	source = await startDemoCluster({ root, mode: 'source' });
});

after(async () => {
	await source?.stop();
	await rm(root, { recursive: true, force: true });
});

test('an unknown host key is shown with its fingerprint, then trusted when the same answers come again', async () => {
	const knownHosts = join(root, 'known_hosts');
	await writeFile(knownHosts, '');
	const connection = { ...source.connection, knownHosts };
	const first = await services.checkConnection(connection);
	assert.match(first ?? '', /not seen before; its key is SHA256:[A-Za-z0-9+/]+/);
	assert.equal(await readFile(knownHosts, 'utf8'), '', 'nothing trusted yet');
	assert.equal(await services.checkConnection(connection), undefined);
	assert.match(await readFile(knownHosts, 'utf8'), /^\[127\.0\.0\.1\]:\d+ ssh-ed25519 /);
	assert.equal(await services.checkConnection(connection), undefined, 'known from now on');
});

test('connection, domain and folder checks say what is wrong', async () => {
	assert.equal(await services.checkConnection(source.connection), undefined);
	assert.match((await services.checkConnection({ ...source.connection, port: 1 })) ?? '', /Nothing accepts SSH connections/);
	assert.equal(await services.checkDomain(source.connection, 'backup'), undefined);
	assert.deepEqual(await services.checkDomain({ ...source.connection, storeEndpoint: 'http://127.0.0.1:1' }, 'backup'), { message: 'http://127.0.0.1:1 cannot be reached (ECONNREFUSED).', offerRoutes: true });
	// The wizard turns offerRoutes into the choice of the SSH tunnel or a gateway URL.
	assert.deepEqual(await services.checkDomain({ ...source.connection, storeEndpoint: undefined, domain: 'nowhere.invalid' }, 'restore'), { message: 'deis-store.nowhere.invalid does not resolve from this machine.', offerRoutes: true });
	assert.deepEqual(await services.checkDomain({ ...source.connection, storeEndpoint: undefined, domain: 'nowhere.invalid' }, 'backup'), { message: 'deis-store.nowhere.invalid does not resolve from this machine.', offerRoutes: true });
	assert.equal(await services.checkDomain({ ...source.connection, storeEndpoint: undefined, domain: 'nowhere.invalid', tunnel: true }, 'backup'), undefined, 'through the tunnel the name need not resolve here');
	assert.match((await services.checkFolder('restore', root)) ?? '', /not a finished deis-backup folder/);
	assert.equal(await services.checkFolder('backup', join(root, 'new-backup')), undefined);
	// One folder per cluster and UTC day: the same command run again finds it and resumes.
	assert.match(services.defaultFolder('backup', source.connection), /^demo\.deis-backup-\d{4}-\d{2}-\d{2}$/);
});
