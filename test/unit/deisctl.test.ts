// Deisctl over a scripted host: which program it runs, how many commands a key read costs, and what it makes of the answers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Deisctl } from '../../source/cluster/deisctl.js';
import type { ExecResult, RemoteHost } from '../../source/cluster/ssh.js';
import { UserError } from '../../source/errors.js';
import { bucketNamesIn, gatewayKeysIn, readGatewayKeys } from '../../source/steps/gateway/keys.js';

/** A host whose programs are `installed` (argv[0] → answer); anything else exits 127 as bash does. */
function scriptedHost(installed: Record<string, (args: readonly string[]) => ExecResult>): { host: RemoteHost; ran: string[][] } {
	const ran: string[][] = [];
	const host: RemoteHost = {
		label: 'core@test:22',
		async run(argv) {
			ran.push([...argv]);
			const answer = installed[argv[0] as string];
			return answer ? answer(argv.slice(1)) : { code: 127, stdout: '', stderr: `bash: ${argv[0]}: command not found\n` };
		},
		stream: () => Promise.reject(new Error('unused')),
		openTunnel: () => Promise.reject(new Error('unused')),
		jumpTo: () => Promise.reject(new Error('unused')),
		close: async () => {},
	};
	return { host, ran };
}

const values: Record<string, string> = { 'gateway/accessKey': 'AK', 'gateway/secretKey': 'SK' };
/** deisctl v1's `config store get <key>...`: every value a line, or nothing and exit 1 on the first unset key. */
function deisctl(args: readonly string[]): ExecResult {
	const keys = args.slice(3);
	const missing = keys.find((key) => values[key] === undefined);
	if (missing) return { code: 1, stdout: '', stderr: `Error: 100: Key not found (/deis/store/${missing})\n` };
	return { code: 0, stdout: keys.map((key) => `${values[key]}\n`).join(''), stderr: '' };
}

test('the gateway keys are one command, /opt/bin/deisctl first: one round trip on a Deis v1 host', async () => {
	const { host, ran } = scriptedHost({ '/opt/bin/deisctl': deisctl });
	assert.deepEqual(await readGatewayKeys(new Deisctl(host)), { accessKey: 'AK', secretKey: 'SK' });
	assert.deepEqual(ran, [['/opt/bin/deisctl', 'config', 'store', 'get', 'gateway/accessKey', 'gateway/secretKey']]);
});

test('where /opt/bin/deisctl is missing, deisctl from the PATH answers, and is used from then on', async () => {
	const { host, ran } = scriptedHost({ deisctl });
	const client = new Deisctl(host);
	assert.equal(await client.configGet('store', 'gateway/accessKey'), 'AK');
	assert.equal(await client.configGet('store', 'gateway/secretKey'), 'SK');
	assert.deepEqual(
		ran.map((argv) => argv[0]),
		['/opt/bin/deisctl', 'deisctl', 'deisctl'],
	);
});

test('an unset key is undefined; no deisctl anywhere is one plain sentence', async () => {
	const { host } = scriptedHost({ '/opt/bin/deisctl': deisctl });
	assert.equal(await new Deisctl(host).configGetAll('store', ['gateway/accessKey', 'gateway/nothing']), undefined);
	await assert.rejects(readGatewayKeys(new Deisctl(scriptedHost({ '/opt/bin/deisctl': () => ({ code: 1, stdout: '', stderr: 'Error: 100: Key not found\n' }) }).host)), /no store gateway keys yet/);
	await assert.rejects(new Deisctl(scriptedHost({}).host).configGet('store', 'gateway/accessKey'), (error: unknown) => error instanceof UserError && /deisctl is not installed on core@test:22/.test(error.message));
});

test('a deisctl that prints fewer lines than keys asked is refused, not read as the wrong keys', async () => {
	const { host } = scriptedHost({ '/opt/bin/deisctl': () => ({ code: 0, stdout: 'AK\n', stderr: '' }) });
	await assert.rejects(readGatewayKeys(new Deisctl(host)), (error: unknown) => error instanceof UserError && /printed 1 line\(s\) for 2 key\(s\)/.test(error.message));
});

test('etcd\'s copy of the keys and bucket names, as a read of /deis holds them: both keys or none, names else Deis\' defaults', () => {
	const values = new Map([
		['/deis/store/gateway/accessKey', 'AK\n'],
		['/deis/store/gateway/secretKey', 'SK'],
		['/deis/registry/bucketName', 'images'],
	]);
	assert.deepEqual(gatewayKeysIn(values), { accessKey: 'AK', secretKey: 'SK' });
	assert.equal(gatewayKeysIn(new Map([['/deis/store/gateway/accessKey', 'AK']])), undefined);
	assert.equal(gatewayKeysIn(new Map([['/deis/store/gateway/accessKey', 'AK'], ['/deis/store/gateway/secretKey', '']])), undefined);
	assert.deepEqual(bucketNamesIn(values), [
		{ role: 'database', name: 'db_wal' },
		{ role: 'registry', name: 'images' },
	]);
	assert.throws(() => bucketNamesIn(new Map([['/deis/database/bucketName', 'Bad Name!']])), /invalid bucket name for the database/);
});

test('one key\'s value is the whole answer, lines and all (a PEM), as it was before several keys were read at once', async () => {
	const pem = '-----BEGIN KEY-----\nabc\n-----END KEY-----';
	const { host } = scriptedHost({ '/opt/bin/deisctl': () => ({ code: 0, stdout: `${pem}\n`, stderr: '' }) });
	assert.equal(await new Deisctl(host).configGet('platform', 'sshPrivateKey'), pem);
});
