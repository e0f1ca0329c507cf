/**
 * Where connection settings come from: ssh_config through the ssh-config
 * package, DEISCTL_TUNNEL, host:port, and the key files' own rules
 * (passphrase detection, the public key an encrypted file still shows).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isEncrypted, openSshPublicKey } from '../../source/cluster/ssh-keys.js';
import { parseCommandLine } from '../../source/cli/args.js';
import { completeSettings, partialSettings } from '../../source/config/resolve.js';
import { applySshConfig, splitHostPort } from '../../source/config/ssh-config.js';

let dir: string;

before(async () => {
	dir = await mkdtemp(join(tmpdir(), 'ssh-config-'));
});
after(async () => {
	await rm(dir, { recursive: true, force: true });
});

const flagsOf = (...argv: string[]) => parseCommandLine(['backup', ...argv]).flags;

test('host:port is split; a bare IPv6 address keeps its colons; a bad port says to use --port', () => {
	assert.deepEqual(splitHostPort('127.0.0.1:2222'), { host: '127.0.0.1', port: 2222 });
	assert.deepEqual(splitHostPort('deis-1.example.com'), { host: 'deis-1.example.com' });
	assert.deepEqual(splitHostPort('::1'), { host: '::1' });
	assert.deepEqual(splitHostPort('fe80::1:2222'), { host: 'fe80::1:2222' }, 'an IPv6 literal, not a port');
	assert.deepEqual(splitHostPort('[::1]:2222'), { host: '::1', port: 2222 });
	assert.deepEqual(splitHostPort('[::1]'), { host: '::1' });
	const bad = splitHostPort('host:22x');
	assert.ok('problem' in bad && /--port/.test(bad.problem), JSON.stringify(bad));
	const ambiguous = splitHostPort('a:b:c');
	assert.ok('problem' in ambiguous && /\[address\]:port/.test(ambiguous.problem), JSON.stringify(ambiguous));
});

test('--host h:port sets the port; with a different --port it is refused; the same port twice is fine', () => {
	assert.deepEqual(pick(partialSettings(flagsOf('--host', '127.0.0.1:2222'), {})), { host: '127.0.0.1', port: 2222 });
	assert.deepEqual(pick(partialSettings(flagsOf('--host', '127.0.0.1:2222', '--port', '2222'), {})), { host: '127.0.0.1', port: 2222 });
	assert.throws(() => partialSettings(flagsOf('--host', '127.0.0.1:2222', '--port', '22'), {}), /--host names port 2222 and --port 22; give the port once/);
	assert.throws(() => partialSettings(flagsOf('--host', 'h:port'), {}), /^UserError: --host: .*--port/);
});

test('DEISCTL_TUNNEL (host or host:port) is the host when --host is absent, and only then', () => {
	assert.deepEqual(pick(partialSettings(flagsOf(), { DEISCTL_TUNNEL: '1.2.3.4' })), { host: '1.2.3.4' });
	assert.deepEqual(pick(partialSettings(flagsOf(), { DEISCTL_TUNNEL: '1.2.3.4:2222' })), { host: '1.2.3.4', port: 2222 });
	assert.deepEqual(pick(partialSettings(flagsOf('--port', '22'), { DEISCTL_TUNNEL: '1.2.3.4:2222' })), { host: '1.2.3.4', port: 22 }, '--port wins over the tunnel');
	assert.deepEqual(pick(partialSettings(flagsOf('--host', '5.6.7.8'), { DEISCTL_TUNNEL: '1.2.3.4:2222' })), { host: '5.6.7.8' });
	assert.deepEqual(pick(partialSettings(flagsOf('--vagrant'), { DEISCTL_TUNNEL: '1.2.3.4:2200' })), { host: '127.0.0.1', port: 2222 });
	assert.throws(() => partialSettings(flagsOf(), { DEISCTL_TUNNEL: 'x:y:z' }), /^UserError: DEISCTL_TUNNEL: /);
	assert.throws(() => completeSettings(partialSettings(flagsOf('-d', 'example.com'), {})), /pass --host, or set DEISCTL_TUNNEL/);
});

function pick(settings: { host?: string; port?: number }) {
	return { host: settings.host, ...(settings.port !== undefined ? { port: settings.port } : {}) };
}

test('ssh_config: HostName, Port, User, IdentityFile (several), IdentitiesOnly, known hosts, checking, timeout; flags win', async () => {
	const marker = join(dir, 'match-exec-ran');
	const config = join(dir, 'config');
	await writeFile(
		config,
		[
			`Match exec "touch ${marker}"`,
			'  User exec-user',
			'Host deis-prod',
			'  HostName 10.0.0.5',
			'  Port 2200',
			'  User ops',
			'  IdentityFile ~/.ssh/deis_key',
			'  IdentityFile %d/.ssh/%h-%r_key',
			'  IdentitiesOnly yes',
			'  UserKnownHostsFile ~/.ssh/deis_known_hosts ~/.ssh/other_known_hosts',
			'  StrictHostKeyChecking accept-new',
			'  ConnectTimeout 7',
			'Host *',
			'  User fallback',
			'  IdentityFile ~/.ssh/everywhere',
			'',
		].join('\n'),
	);
	const home = '/home/op';
	const resolved = await applySshConfig({ host: 'deis-prod', sshConfig: config }, {}, home);
	assert.equal(existsSync(marker), false, 'Match exec is never run');
	assert.equal(resolved.port, 2200);
	assert.equal(resolved.user, 'ops');
	assert.deepEqual(resolved.ssh, {
		alias: 'deis-prod',
		hostName: '10.0.0.5',
		identityFiles: ['/home/op/.ssh/deis_key', '/home/op/.ssh/10.0.0.5-ops_key', '/home/op/.ssh/everywhere'],
		identitiesOnly: true,
		knownHostsFiles: ['/home/op/.ssh/deis_known_hosts', '/home/op/.ssh/other_known_hosts'],
		strictHostKeyChecking: 'accept-new',
		connectTimeoutMs: 7000,
	});
	const flagged = await applySshConfig({ host: 'deis-prod', port: 22, user: 'core', sshConfig: config }, {}, home);
	assert.equal(flagged.port, 22, '--port wins over Port');
	assert.equal(flagged.user, 'core', '--user wins over User');
	assert.equal(flagged.ssh?.identityFiles[1], '/home/op/.ssh/10.0.0.5-core_key', '%r is the user in effect');

	const other = await applySshConfig({ host: '10.9.9.9', sshConfig: config }, {}, home);
	assert.equal(other.port, undefined, 'no Port: the default applies later');
	assert.equal(other.user, 'fallback');
	assert.equal(other.ssh?.hostName, '10.9.9.9');
	const complete = completeSettings({ ...other, domain: 'example.com' });
	assert.equal(complete.port, 22);

	const again = await applySshConfig({ ...resolved, port: 2222 }, {}, home);
	assert.equal(again.port, 2222, 'settings already resolved for this host are left alone');
});

test('ProxyJump: each hop resolved by its own Host block, chained in order; none and loops', async () => {
	const config = join(dir, 'jump_config');
	await writeFile(
		config,
		[
			'Host bastion',
			'  HostName bastion.example.com',
			'  User jumper',
			'  IdentityFile ~/.ssh/bastion_key',
			'Host inner',
			'  HostName 10.1.0.1',
			'  Port 2201',
			'Host deis-prod',
			'  HostName 10.0.0.5',
			'  ProxyJump bastion,admin@inner:2202',
			'Host direct',
			'  HostName 10.0.0.6',
			'  ProxyJump none',
			'Host loop',
			'  ProxyJump loop',
			'',
		].join('\n'),
	);
	const home = '/home/op';
	const resolved = await applySshConfig({ host: 'deis-prod', sshConfig: config, knownHosts: '/k', acceptNewHostKey: true }, {}, home);
	const last = resolved.ssh?.jump;
	assert.equal(last?.host, 'inner');
	assert.equal(last?.port, 2202, 'the port written in ProxyJump wins over the hop\'s Port');
	assert.equal(last?.user, 'admin');
	assert.equal(last?.ssh?.hostName, '10.1.0.1');
	assert.equal(last?.knownHosts, '/k', '--known-hosts reaches the hops');
	assert.equal(last?.acceptNewHostKey, true);
	const first = last?.ssh?.jump;
	assert.equal(first?.host, 'bastion');
	assert.equal(first?.port, 22);
	assert.equal(first?.user, 'jumper');
	assert.equal(first?.ssh?.hostName, 'bastion.example.com');
	assert.deepEqual(first?.ssh?.identityFiles, ['/home/op/.ssh/bastion_key']);
	assert.equal(first?.ssh?.jump, undefined);
	assert.equal((await applySshConfig({ host: 'direct', sshConfig: config }, {}, home)).ssh?.jump, undefined);
	await assert.rejects(applySshConfig({ host: 'loop', sshConfig: config }, {}, home), /more than 8 hosts for loop; check it for a loop/);
});

test('-F names a file that must exist; an alias is validated by its HostName', async () => {
	await assert.rejects(applySshConfig({ host: 'x', sshConfig: join(dir, 'missing') }, {}, '/home/op'), /Cannot read the ssh config file .*missing given with -F/);
	const config = join(dir, 'odd_config');
	await writeFile(config, 'Host odd_alias\n  HostName 10.0.0.7\nHost bad\n  HostName bad;name\n');
	const odd = completeSettings({ ...(await applySshConfig({ host: 'odd_alias', sshConfig: config }, {}, '/home/op')), domain: 'example.com' });
	assert.equal(odd.host, 'odd_alias', 'the alias stays the host operators see');
	assert.throws(() => completeSettings({ host: 'odd_alias', domain: 'example.com' }), /--host: /, 'without a HostName the alias must be a host name');
	const bad = await applySshConfig({ host: 'bad', sshConfig: config }, {}, '/home/op');
	assert.throws(() => completeSettings({ ...bad, domain: 'example.com' }), /--host: /);
});

test('an encrypted key is told apart from a plain one, and its public key is read without the passphrase', async () => {
	const plain = join(dir, 'plain');
	const locked = join(dir, 'locked');
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', plain]);
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret words', '-f', locked]);
	const pemLocked = join(dir, 'pem_locked');
	execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-m', 'PEM', '-N', 'secret words', '-f', pemLocked]);
	assert.equal(isEncrypted(await readFile(plain, 'utf8')), false);
	assert.equal(isEncrypted(await readFile(locked, 'utf8')), true);
	assert.equal(isEncrypted(await readFile(pemLocked, 'utf8')), true);
	const publicBlob = (await readFile(`${locked}.pub`, 'utf8')).split(' ')[1];
	assert.equal(openSshPublicKey(await readFile(locked, 'utf8'))?.toString('base64'), publicBlob);
});
