/**
 * A passphrase-protected key in a terminal, as ssh treats it: the compiled
 * binary asks for the passphrase (nothing echoed), asks again after a wrong
 * one, and the run that follows the connection check does not ask a second
 * time; under --plain and under the full-screen wizard, in its connection
 * check and in a run started with --yes. On the demo cluster, in tmux.
 *
 *   npm run build && node --import tsx --test test/e2e-pty/passphrase.test.ts
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readManifest } from '../../source/archive/manifest.js';
import { startDemoCluster, type DemoCluster } from '../../source/demo/cluster.js';
import { CLI, REPO, Pane, cliEnv, flat, requireTmux } from './tmux.js';

const PASSPHRASE = 'correct horse battery';

let root: string;
let cluster: DemoCluster | undefined;
const panes: Pane[] = [];
let home: string;
let key: string;

before(async () => {
	root = await mkdtemp(join(tmpdir(), 'pty-passphrase-'));
	await requireTmux();
	cluster = await startDemoCluster({ root: join(root, 'cluster'), mode: 'source' });
	const c = cluster.connection;
	home = join(root, 'home');
	await mkdir(join(home, '.ssh'), { recursive: true, mode: 0o700 });
	key = join(home, '.ssh', 'id_ed25519');
	await copyFile(c.identity as string, key);
	await chmod(key, 0o600);
	execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', PASSPHRASE, '-f', key]);
	await copyFile(c.knownHosts as string, join(home, '.ssh', 'known_hosts'));
});

after(async () => {
	for (const pane of panes) await pane.close();
	await cluster?.stop();
	await rm(root, { recursive: true, force: true });
});

function backupArgs(folder: string): string[] {
	const c = (cluster as DemoCluster).connection;
	return ['backup', '--host', c.host, '--port', String(c.port), '--user', c.user, '--identity', key, '--domain', c.domain, '--store-endpoint', c.storeEndpoint as string, '--skip-database', '--out', folder];
}

async function start(args: string[]): Promise<Pane> {
	// No agent: the key file is the only way in, as for an operator without ssh-agent.
	const pane = await Pane.start({ argv: [process.execPath, CLI, ...args], cwd: REPO, env: cliEnv(home, { SSH_AUTH_SOCK: '' }), width: 160, height: 45 });
	panes.push(pane);
	return pane;
}

test('a passphrase key in a terminal: asked for, masked, asked again when wrong, asked once per run', { timeout: 90_000 }, async () => {
	const folder = join(root, 'backup');
	// --plain in a terminal: the connection is checked first, then the run connects again.
	const pane = await start([...backupArgs(folder), '--plain', '--yes']);

	await pane.waitFor(`Passphrase for ${key} (empty: skip this key)`, 20_000);
	// Nothing shows while typing, so there is no echo to wait for; readline takes text and Enter in one chunk.
	await pane.type('not the passphrase');
	await pane.press('Enter');
	await pane.waitFor('Wrong passphrase, try again.');
	await pane.type(PASSPHRASE);
	await pane.press('Enter');
	const code = await pane.waitForExit(60_000);
	const screen = flat(await pane.screen());
	assert.equal(code, 0, screen);
	assert.ok(!screen.includes(PASSPHRASE) && !screen.includes('not the passphrase'), `nothing typed is echoed: ${screen}`);
	assert.equal(screen.split(`Passphrase for ${key}`).length - 1, 2, `asked twice (wrong, then right), not again for the run: ${screen}`);
	const manifest = await readManifest(folder);
	assert.ok(manifest.buckets.length > 0, 'the backup finished');
});

test('the full-screen wizard asks in its connection check: masked, asked again when wrong, not again for the run', { timeout: 90_000 }, async () => {
	const folder = join(root, 'backup-wizard');
	const pane = await start(backupArgs(folder));
	await pane.waitFor('❯ Use these settings', 20_000);
	await pane.press('Enter');
	await pane.waitFor(`Passphrase for ${key}`, 20_000);
	await pane.type('not the passphrase');
	await pane.waitFor('•'.repeat('not the passphrase'.length));
	await pane.press('Enter');
	await pane.waitFor('Wrong passphrase, try again.');
	await pane.type(PASSPHRASE);
	await pane.press('Enter');
	await pane.waitFor(/Include “Archive the store volume .*”\? \(Y\/n\)/, 20_000);
	await pane.press('Enter');
	await pane.waitFor(/Start the backup\? \(Y\/n\)/);
	await pane.press('Enter');
	await pane.waitFor(/Save this connection as a profile for next time\? \(y\/N\)/, 60_000);
	await pane.press('Enter');
	const code = await pane.waitForExit();
	const screen = flat(await pane.screen());
	assert.equal(code, 0, screen);
	assert.ok(!screen.includes(PASSPHRASE) && !screen.includes('not the passphrase'), `nothing typed is echoed: ${screen}`);
	assert.ok(!screen.includes(`Passphrase for ${key}`), `the run reuses the unlocked key, and the prompt leaves the screen once answered: ${screen}`);
	assert.match(screen, /Backup complete/);
	assert.ok((await readManifest(folder)).buckets.length > 0, 'the backup finished');
});

test('the full-screen wizard with --yes asks during the run, under the task list', { timeout: 90_000 }, async () => {
	const folder = join(root, 'backup-wizard-yes');
	const pane = await start([...backupArgs(folder), '--yes']);
	const asking = flat(await pane.waitFor(`Passphrase for ${key}`, 20_000));
	assert.match(asking, /Backing up /, 'asked once the run has started');
	await pane.type(PASSPHRASE);
	await pane.press('Enter');
	const code = await pane.waitForExit(60_000);
	const screen = flat(await pane.screen());
	assert.equal(code, 0, screen);
	assert.ok(!screen.includes(PASSPHRASE), `nothing typed is echoed: ${screen}`);
	assert.ok((await readManifest(folder)).buckets.length > 0, 'the backup finished');
});
