import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { checkHostKey, fingerprint, hostPattern } from '../../source/cluster/known-hosts.js';

function wireKey(type: string, body: Buffer): Buffer {
	const t = Buffer.from(type);
	const len = Buffer.alloc(4);
	len.writeUInt32BE(t.length);
	return Buffer.concat([len, t, body]);
}

const key = wireKey('ssh-ed25519', randomBytes(36));
const other = wireKey('ssh-ed25519', randomBytes(36));

test('plain and hashed entries match; ports use the [host]:port form', () => {
	const plain = `${hostPattern('127.0.0.1', 2222)} ssh-ed25519 ${key.toString('base64')}\n`;
	assert.equal(checkHostKey(plain, '127.0.0.1', 2222, key), 'known');
	assert.equal(checkHostKey(plain, '127.0.0.1', 22, key), 'unknown');
	const salt = randomBytes(20);
	const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('deis-1.example.com').digest('base64')} ssh-ed25519 ${key.toString('base64')}\n`;
	assert.equal(checkHostKey(hashed, 'deis-1.example.com', 22, key), 'known');
});

test('a different key of the same type is a changed key', () => {
	const text = `[127.0.0.1]:2222 ssh-ed25519 ${key.toString('base64')}\n`;
	assert.equal(checkHostKey(text, '127.0.0.1', 2222, other), 'changed');
	assert.equal(checkHostKey('', '127.0.0.1', 2222, other), 'unknown');
	assert.match(fingerprint(key), /^SHA256:[A-Za-z0-9+/]+$/);
});
