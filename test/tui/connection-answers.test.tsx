import './interactive-terminal.js';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { validateDomainName, validateHost, validatePort, validateUser } from '../../source/validate.js';
import { checkReadableFile, expandHome, tildify } from '../../source/ui/key-paths.js';

describe('connection answer checks', () => {
	it('hosts: names, IPv4, IPv6; no spaces, shell characters or user@', () => {
		for (const ok of ['127.0.0.1', 'deis-1.example.com', 'localhost', '::1', 'fe80::1', '[::1]', 'node.']) assert.equal(validateHost(ok), undefined, ok);
		assert.match(validateHost('') ?? '', /Enter the host/);
		assert.match(validateHost('core@10.0.0.1') ?? '', /user separately.*"10\.0\.0\.1"/);
		assert.match(validateHost('my host') ?? '', /spaces or shell characters/);
		assert.match(validateHost('a;rm -rf') ?? '', /shell characters/);
		assert.match(validateHost('$(id)') ?? '', /shell characters/);
		assert.match(validateHost('300.1.1.1') ?? '', /not a valid IPv4/);
		assert.match(validateHost('1::2::3') ?? '', /not a valid IPv6/);
		assert.match(validateHost('-bad.example') ?? '', /not a valid host name/);
	});

	it('ports: integers 1–65535', () => {
		assert.equal(validatePort('2222'), undefined);
		assert.equal(validatePort('65535'), undefined);
		assert.match(validatePort('0') ?? '', /outside the port range/);
		assert.match(validatePort('65536') ?? '', /outside/);
		assert.match(validatePort('22.5') ?? '', /whole number/);
		assert.match(validatePort('ssh') ?? '', /whole number/);
	});

	it('users: POSIX portable names', () => {
		assert.equal(validateUser('core'), undefined);
		assert.equal(validateUser('_deis-1'), undefined);
		assert.match(validateUser('') ?? '', /Enter the SSH user/);
		assert.match(validateUser('Core') ?? '', /not a valid user name/);
		assert.match(validateUser('1core') ?? '', /not a valid user name/);
		assert.match(validateUser('a'.repeat(33)) ?? '', /at most 32/);
	});

	it('domains: DNS names with a dot, with helpful hints', () => {
		assert.equal(validateDomainName('local3.deisapp.com'), undefined);
		assert.equal(validateDomainName('example.com.'), undefined);
		assert.match(validateDomainName('') ?? '', /Enter the cluster domain/);
		assert.match(validateDomainName('http://x.com') ?? '', /without http/);
		assert.match(validateDomainName('deis-store.local3.deisapp.com') ?? '', /without "deis-store\." \(local3\.deisapp\.com\)/);
		assert.match(validateDomainName('under_score.com') ?? '', /not a valid domain/);
		assert.match(validateDomainName('localhost') ?? '', /at least one dot/);
	});

	it('home paths expand and shorten', () => {
		assert.equal(expandHome('~/.vagrant.d/insecure_private_key', '/home/op'), '/home/op/.vagrant.d/insecure_private_key');
		assert.equal(expandHome('/etc/key', '/home/op'), '/etc/key');
		assert.equal(tildify('/home/op/.ssh/id', '/home/op'), '~/.ssh/id');
		assert.equal(tildify('/home/opx/id', '/home/op'), '/home/opx/id');
	});

	it('key files: must exist, be a file and be readable', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'deis-backup-ui-'));
		try {
			const key = join(dir, 'id');
			await writeFile(key, 'KEY');
			assert.equal(await checkReadableFile(key), undefined);
			assert.match((await checkReadableFile(join(dir, 'missing'))) ?? '', /There is no file at/);
			assert.match((await checkReadableFile(dir)) ?? '', /is a folder/);
			if (process.getuid?.() !== 0) {
				await chmod(key, 0o000);
				assert.match((await checkReadableFile(key)) ?? '', /permission denied/);
			}
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});
});
