import './interactive-terminal.js';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { cleanup, render } from 'ink-testing-library';
import type { ConnectionSettings } from '../../source/settings.js';
import { ConnectionForm } from '../../source/ui/components/connection-form.js';
import { answer, erase, keys, press, until, waitFor } from './helpers.js';

afterEach(() => cleanup());

const HOME = '/home/op';

/** Fakes with call logs: the key file and the domain checks answer from tables. */
function fakes(options: { missingKeys?: string[]; badDomains?: string[]; unresolved?: string[] } = {}) {
	const identityChecks: string[] = [];
	const domainChecks: string[] = [];
	const submitted: ConnectionSettings[] = [];
	return {
		identityChecks,
		domainChecks,
		submitted,
		checkIdentity: async (path: string) => {
			identityChecks.push(path);
			return options.missingKeys?.includes(path) ? `There is no file at ${path}.` : undefined;
		},
		checkDomain: async (c: ConnectionSettings) => {
			domainChecks.push(c.domain);
			// As the real check: the tunnel needs no name from here, a URL is tried as given.
			if (c.tunnel) return undefined;
			if (c.storeEndpoint) return c.storeEndpoint.includes('10.0.0.9') ? { message: `${c.storeEndpoint} cannot be reached (ECONNREFUSED).`, offerRoutes: true } : undefined;
			if (options.unresolved?.includes(c.domain)) return { message: `deis-store.${c.domain} does not resolve from this machine.`, offerRoutes: true };
			const bad = options.badDomains?.indexOf(c.domain) ?? -1;
			if (bad < 0) return undefined;
			options.badDomains?.splice(bad, 1); // each listed domain fails once
			return { message: `deis-store.${c.domain} answered HTTP 404, not like a store gateway.`, offerRoutes: false };
		},
		onSubmit: (c: ConnectionSettings) => submitted.push(c),
	};
}

describe('ConnectionForm', () => {
	it('Vagrant preset: every answer pre-offered, Enter accepts, the key path is expanded and checked', async () => {
		const f = fakes();
		const { lastFrame, stdin } = render(<ConnectionForm homeDir={HOME} {...f} />);
		await waitFor(lastFrame, '❯ Vagrant on this machine');
		await press(stdin, keys.enter);
		await waitFor(lastFrame, 'Hostname or IP of a cluster machine (127.0.0.1)');
		await press(stdin, keys.enter);
		await waitFor(lastFrame, 'SSH port (2222)');
		await press(stdin, keys.enter);
		await waitFor(lastFrame, 'SSH user (core)');
		await press(stdin, keys.enter);
		const keyFrame = await waitFor(lastFrame, 'SSH private key file (~/.vagrant.d/insecure_private_key)');
		assert.match(keyFrame, /✔ Where does the cluster run\? · Vagrant on this machine/);
		assert.match(keyFrame, /✔ SSH port · 2222/);
		assert.match(keyFrame, /Type "agent" to use the SSH agent instead\./);
		await press(stdin, keys.enter);
		await waitFor(lastFrame, 'Cluster domain (local3.deisapp.com)');
		await press(stdin, keys.enter);
		await until(() => f.submitted.length === 1, 'submit');
		assert.deepEqual(f.submitted[0], {
			host: '127.0.0.1',
			port: 2222,
			user: 'core',
			identity: '/home/op/.vagrant.d/insecure_private_key',
			domain: 'local3.deisapp.com',
		});
		assert.deepEqual(f.identityChecks, ['/home/op/.vagrant.d/insecure_private_key']);
		assert.deepEqual(f.domainChecks, ['local3.deisapp.com']);
	});

	it('a preset answer can still be changed', async () => {
		const f = fakes();
		const { lastFrame, stdin } = render(<ConnectionForm homeDir={HOME} {...f} />);
		await waitFor(lastFrame, '❯ Vagrant on this machine');
		await press(stdin, keys.enter);
		await waitFor(lastFrame, '(127.0.0.1)');
		await answer(stdin, '127.0.0.2');
		await waitFor(lastFrame, 'SSH port (2222)');
		await answer(stdin, '2200');
		await waitFor(lastFrame, 'SSH user (core)');
		await press(stdin, keys.enter);
		await waitFor(lastFrame, 'SSH private key file');
		await answer(stdin, 'agent');
		await waitFor(lastFrame, 'Cluster domain');
		await press(stdin, keys.enter);
		await until(() => f.submitted.length === 1, 'submit');
		assert.deepEqual(f.submitted[0], { host: '127.0.0.2', port: 2200, user: 'core', domain: 'local3.deisapp.com' });
		assert.deepEqual(f.identityChecks, [], '"agent" needs no key file');
	});

	it('another host: each bad answer is explained and asked again', async () => {
		const f = fakes({ missingKeys: ['/home/op/.ssh/nope'], badDomains: ['example.com'] });
		const { lastFrame, stdin } = render(<ConnectionForm homeDir={HOME} {...f} />);
		await waitFor(lastFrame, 'Another host');
		await press(stdin, keys.down, keys.enter);
		await waitFor(lastFrame, 'Hostname or IP of a cluster machine ›');
		await answer(stdin, 'deis 1');
		await waitFor(lastFrame, '✖ A host name cannot contain spaces');
		await erase(stdin, 6);
		await answer(stdin, '10.0.0.5');
		await waitFor(lastFrame, 'SSH port (22)');
		await answer(stdin, '99999');
		await waitFor(lastFrame, '✖ 99999 is outside the port range 1–65535.');
		await erase(stdin, 5);
		await answer(stdin, '2022');
		await waitFor(lastFrame, 'SSH user (core)');
		await answer(stdin, 'Admin');
		await waitFor(lastFrame, '✖ "Admin" is not a valid user name');
		await erase(stdin, 5);
		await answer(stdin, 'admin');
		const keyFrame = await waitFor(lastFrame, 'SSH private key file ›');
		assert.match(keyFrame, /Leave empty to use the SSH agent\./);
		await answer(stdin, '~/.ssh/nope');
		await waitFor(lastFrame, '✖ There is no file at /home/op/.ssh/nope.');
		await erase(stdin, '~/.ssh/nope'.length);
		await answer(stdin, '');
		await waitFor(lastFrame, 'Cluster domain ›');
		await answer(stdin, 'deis-store.example.com');
		await waitFor(lastFrame, '✖ Enter the cluster domain without "deis-store." (example.com).');
		await erase(stdin, 'deis-store.example.com'.length);
		await answer(stdin, 'example.com');
		await waitFor(lastFrame, '✖ deis-store.example.com answered HTTP 404, not like a store gateway.');
		await answer(stdin, '.'); // "example.com." is the same name, now answering
		await until(() => f.submitted.length === 1, 'submit');
		assert.deepEqual(f.submitted[0], { host: '10.0.0.5', port: 2022, user: 'admin', domain: 'example.com' });
		assert.deepEqual(f.domainChecks, ['example.com', 'example.com']);
	});

	it('pre-filled settings open on a review where one answer can be changed', async () => {
		const f = fakes();
		const initial = { host: 'deis-1.example.com', port: 22, user: 'core', domain: 'example.com', identity: '/home/op/.ssh/id_rsa', tunnel: true };
		const { lastFrame, stdin } = render(<ConnectionForm homeDir={HOME} initial={initial} {...f} />);
		const review = await waitFor(lastFrame, 'Connect with these settings?');
		assert.match(review, /Host +deis-1\.example\.com/);
		assert.match(review, /Key +~\/\.ssh\/id_rsa/);
		assert.ok(!review.includes('Where does the cluster run?'), 'no questions asked first');
		assert.match(review, /❯ Use these settings\n +Change the host\n +Change the SSH port/);
		await press(stdin, keys.down, keys.down, keys.enter); // "Change the SSH port"
		await waitFor(lastFrame, 'SSH port › 22');
		await erase(stdin, 2);
		await answer(stdin, '2222');
		await waitFor(lastFrame, /Port +2222/);
		await press(stdin, keys.enter); // "Use these settings"
		await until(() => f.submitted.length === 1, 'submit');
		assert.deepEqual(f.submitted[0], { ...initial, port: 2222 });
		await waitFor(lastFrame, '✔ Connection settings accepted');
		assert.deepEqual(f.identityChecks, ['/home/op/.ssh/id_rsa'], 'pre-filled answers are checked when accepted');
		assert.deepEqual(f.domainChecks, ['example.com']);
	});

	it('shows an earlier error on the review, and a failing pre-filled answer reopens its question', async () => {
		const f = fakes({ badDomains: ['example.com'] });
		const initial = { host: 'deis-1.example.com', port: 22, user: 'core', domain: 'example.com' };
		const { lastFrame, stdin } = render(<ConnectionForm homeDir={HOME} initial={initial} error="SSH said: Permission denied (publickey)." {...f} />);
		await waitFor(lastFrame, '✖ SSH said: Permission denied (publickey).');
		await press(stdin, keys.enter);
		await waitFor(lastFrame, '✖ deis-store.example.com answered HTTP 404, not like a store gateway.');
		await waitFor(lastFrame, 'Cluster domain › example.com');
		await press(stdin, keys.enter);
		await waitFor(lastFrame, 'Connect with these settings?');
		assert.equal(f.submitted.length, 0, 'back on the review after an edit, not submitted');
		await press(stdin, keys.enter);
		await until(() => f.submitted.length === 1, 'submit');
		assert.deepEqual(f.domainChecks, ['example.com', 'example.com']);
	});

	it('a domain whose gateway name does not resolve offers the SSH tunnel, a gateway URL or another domain', async () => {
		const f = fakes({ unresolved: ['example.com'] });
		const { lastFrame, stdin } = render(<ConnectionForm homeDir={HOME} initial={{ host: 'deis-1.example.com', port: 22, user: 'core' }} {...f} />);
		for (const question of ['Hostname or IP of a cluster machine (deis-1.example.com)', 'SSH port (22)', 'SSH user (core)', 'SSH private key file']) {
			await waitFor(lastFrame, question);
			await press(stdin, keys.enter);
		}
		await waitFor(lastFrame, 'Cluster domain');
		await answer(stdin, 'example.com');
		const choice = await waitFor(lastFrame, 'How should deis-backup reach the store gateway?');
		assert.match(choice, /⚠ deis-store\.example\.com does not resolve from this machine\./);
		assert.match(choice, /❯ Use the SSH tunnel +carry the S3 traffic through the SSH connection/);
		assert.match(choice, /\n +Enter the gateway URL +an address of the router/);
		assert.match(choice, /\n +Change the domain/);
		await press(stdin, keys.enter);
		await waitFor(lastFrame, 'Connect with these settings?');
		await waitFor(lastFrame, /Gateway +through the SSH tunnel/);
		await press(stdin, keys.enter);
		await until(() => f.submitted.length === 1, `submit; last frame:\n${lastFrame()}`);
		assert.deepEqual(f.submitted[0], { host: 'deis-1.example.com', port: 22, user: 'core', domain: 'example.com', tunnel: true });
	});

	it('"Enter the gateway URL" checks the URL (syntax, then that it answers) and uses it', async () => {
		const f = fakes({ unresolved: ['example.com'] });
		const { lastFrame, stdin } = render(<ConnectionForm homeDir={HOME} {...f} />);
		await waitFor(lastFrame, 'Another host');
		await press(stdin, keys.down, keys.enter);
		await waitFor(lastFrame, 'Hostname or IP of a cluster machine ›');
		await answer(stdin, '10.0.0.5');
		for (const question of ['SSH port (22)', 'SSH user (core)', 'SSH private key file']) {
			await waitFor(lastFrame, question);
			await press(stdin, keys.enter);
		}
		await waitFor(lastFrame, 'Cluster domain ›');
		await answer(stdin, 'example.com');
		await waitFor(lastFrame, '❯ Use the SSH tunnel');
		await press(stdin, keys.down, keys.enter);
		await waitFor(lastFrame, 'Store gateway URL ›');
		await answer(stdin, 'deis-store.example.com');
		await waitFor(lastFrame, '✖ "deis-store.example.com" is not a URL');
		await erase(stdin, 'deis-store.example.com'.length);
		await answer(stdin, 'http://10.0.0.9');
		await waitFor(lastFrame, '✖ http://10.0.0.9 cannot be reached (ECONNREFUSED).');
		await erase(stdin, 'http://10.0.0.9'.length);
		await answer(stdin, 'http://10.0.0.5');
		await until(() => f.submitted.length === 1, 'submit');
		assert.deepEqual(f.submitted[0], { host: '10.0.0.5', port: 22, user: 'core', domain: 'example.com', storeEndpoint: 'http://10.0.0.5' });
	});
});
