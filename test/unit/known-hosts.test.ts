import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkHostKey, fingerprint, hostPattern, knownKeyTypes, matchesHostList, matchesPattern, removeCommand } from '../../source/cluster/known-hosts.js';

function wireKey(type: string, body: Buffer): Buffer {
	const t = Buffer.from(type);
	const len = Buffer.alloc(4);
	len.writeUInt32BE(t.length);
	return Buffer.concat([len, t, body]);
}

const key = wireKey('ssh-ed25519', randomBytes(36));
const other = wireKey('ssh-ed25519', randomBytes(36));
const rsa = wireKey('ssh-rsa', randomBytes(64));
const file = (text: string, path = '/k/known_hosts') => [{ path, text }];
const line = (hosts: string, k = key) => `${hosts} ${k.subarray(4, 4 + k.readUInt32BE(0)).toString()} ${k.toString('base64')}`;

test('plain and hashed entries match; ports use the [host]:port form', () => {
	const plain = `${hostPattern('127.0.0.1', 2222)} ssh-ed25519 ${key.toString('base64')}\n`;
	assert.deepEqual(checkHostKey(file(plain), '127.0.0.1', 2222, key), { verdict: 'known' });
	assert.deepEqual(checkHostKey(file(plain), '127.0.0.1', 22, key), { verdict: 'unknown' });
	const salt = randomBytes(20);
	const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('deis-1.example.com').digest('base64')} ssh-ed25519 ${key.toString('base64')}\n`;
	assert.deepEqual(checkHostKey(file(hashed), 'deis-1.example.com', 22, key), { verdict: 'known' });
	// OpenSSH hashes the lower-cased name.
	assert.deepEqual(checkHostKey(file(hashed), 'Deis-1.Example.COM', 22, key), { verdict: 'known' });
});

test('entries hashed by ssh-keygen -H match, for port 22 and [host]:port', async () => {
	const dir = await mkdtemp(join(tmpdir(), 'known-hosts-'));
	try {
		const path = join(dir, 'known_hosts');
		await writeFile(path, `${line('[127.0.0.1]:2222')}\n${line('deis-1.example.com', rsa)}\n`);
		execFileSync('ssh-keygen', ['-H', '-f', path], { stdio: 'pipe' });
		const text = await readFile(path, 'utf8');
		assert.doesNotMatch(text, /127\.0\.0\.1|example/, 'the names are hashed');
		assert.deepEqual(checkHostKey(file(text, path), '127.0.0.1', 2222, key), { verdict: 'known' });
		assert.deepEqual(checkHostKey(file(text, path), 'deis-1.example.com', 22, rsa), { verdict: 'known' });
		assert.deepEqual(checkHostKey(file(text, path), '127.0.0.1', 2222, other), { verdict: 'changed', path, line: 1 });
		assert.deepEqual(checkHostKey(file(text, path), '127.0.0.2', 2222, key), { verdict: 'unknown' });
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
});

test('wildcards and negation as in OpenSSH: * any run, ? exactly one, ! rules a line out', () => {
	assert.ok(matchesPattern('[10.0.0.7]:2222', '[10.0.0.*]:2222'));
	assert.ok(!matchesPattern('[10.0.0.7]:2200', '[10.0.0.*]:2222'));
	assert.ok(matchesPattern('deis-1.example.com', '*.example.com'));
	assert.ok(!matchesPattern('example.com', '*.example.com'));
	assert.ok(matchesPattern('deis-1', 'deis-?'));
	assert.ok(!matchesPattern('deis-', 'deis-?'), '? needs one character');
	assert.ok(!matchesPattern('deis-12', 'deis-?'));
	assert.ok(matchesPattern('abc', '*'));
	assert.ok(matchesPattern('a.b.c', 'a*c'));
	assert.ok(matchesHostList('*.EXAMPLE.com,!bastion.example.com', 'deis-1.example.com'), 'patterns compare in lower case');
	assert.ok(!matchesHostList('*.example.com,!bastion.example.com', 'bastion.example.com'));
	assert.ok(!matchesHostList('!bastion.example.com', 'deis-1.example.com'), 'a negation alone matches nothing');

	const text = [line('[10.0.0.*]:2222'), line('*.example.com,!bastion.example.com', other)].join('\n');
	assert.deepEqual(checkHostKey(file(text), '10.0.0.9', 2222, key), { verdict: 'known' });
	assert.deepEqual(checkHostKey(file(text), 'deis-3.example.com', 22, other), { verdict: 'known' });
	assert.deepEqual(checkHostKey(file(text), 'bastion.example.com', 22, other), { verdict: 'unknown' });
	assert.deepEqual(checkHostKey(file(text), '10.0.0.9', 2222, other), { verdict: 'changed', path: '/k/known_hosts', line: 1 });
});

test('a changed key names the file and line, preferring one of the same type', () => {
	const files = [
		{ path: '/a/known_hosts', text: '# comment\n\n' },
		{ path: '/b/known_hosts', text: `${line('[127.0.0.1]:2222', rsa)}\n${line('[127.0.0.1]:2222')}\n` },
	];
	assert.deepEqual(checkHostKey(files, '127.0.0.1', 2222, other), { verdict: 'changed', path: '/b/known_hosts', line: 2 });
	assert.deepEqual(checkHostKey(files, '127.0.0.1', 2222, key), { verdict: 'known' });
	assert.deepEqual(knownKeyTypes(files, '127.0.0.1', 2222), ['ssh-rsa', 'ssh-ed25519']);
	assert.deepEqual(checkHostKey(file(''), '127.0.0.1', 2222, other), { verdict: 'unknown' });
	assert.match(fingerprint(key), /^SHA256:[A-Za-z0-9+/]+$/);
});

test('@revoked stops even a key that is also listed as known; @cert-authority lines are not host keys', () => {
	const text = `${line('[127.0.0.1]:2222')}\n@revoked * ${key.subarray(4, 15).toString()} ${key.toString('base64')}\n@cert-authority * ssh-ed25519 ${other.toString('base64')}\n`;
	assert.deepEqual(checkHostKey(file(text), '127.0.0.1', 2222, key), { verdict: 'revoked', path: '/k/known_hosts', line: 2 });
	assert.deepEqual(checkHostKey(file(`@cert-authority * ssh-ed25519 ${other.toString('base64')}\n`), '127.0.0.1', 2222, other), { verdict: 'unknown' });
});

test('the removal command is the one OpenSSH prints, quoted for a shell', () => {
	assert.equal(removeCommand('/home/o/.ssh/known_hosts', '127.0.0.1', 2222), "ssh-keygen -f '/home/o/.ssh/known_hosts' -R '[127.0.0.1]:2222'");
	assert.equal(removeCommand("/tmp/it's", 'deis-1', 22), "ssh-keygen -f '/tmp/it'\\''s' -R 'deis-1'");
});
