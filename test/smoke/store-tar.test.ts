// The store volume on the host: a live log makes the procedure's tar warn, as on a running cluster.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commands } from '../../source/cluster/commands.js';
import { appenderRunning, LIVE_LOG, loadCluster, runOnHost, storeLayout } from '../cluster/env.js';

const env = loadCluster();

test('/var/lib/deis/store on the host is the cluster\'s store folder', () => {
	const [host, ours] = [statSync(env.storePath), statSync(env.storeDir)];
	assert.deepEqual([host.dev, host.ino], [ours.dev, ours.ino]);
});

test('`sudo tar -C /var/lib/deis/store -cpzf - .` gives a complete archive, and exits 1 exactly when it says "file changed as we read it"', async () => {
	assert.ok(appenderRunning(), 'the live log appender runs in source mode');
	// Whether tar meets the appender mid-write is a race, as on a real cluster: what must hold on
	// every run is a complete archive and an exit code that matches the warning. That the appender
	// is live is the next test; how the tool reads the warning is test/unit/volume.test.ts.
	for (let run = 0; run < 3; run++) {
		const res = await runOnHost(env, commands.tarStore());
		const warned = new RegExp(`${LIVE_LOG.replace('.', '\\.')}: file changed as we read it`).test(res.stderr);
		assert.equal(res.code, warned ? 1 : 0, res.stderr);
		checkArchive(res.stdout);
	}
});

function checkArchive(bytes: Buffer): void {
	const dir = mkdtempSync(join(tmpdir(), 'store-tar-'));
	try {
		const archive = join(dir, 'store.tar.gz');
		writeFileSync(archive, bytes);
		const listing = execFileSync('tar', ['-tvzf', archive], { encoding: 'utf8' });
		for (const entry of storeLayout()) {
			assert.match(listing, new RegExp(`\\./${entry.path.replace(/[.+]/g, '\\$&')}/?\\n`), entry.path);
		}
		assert.match(listing, /^-rw------- nobody\/nogroup .* \.\/spool\/queue-0001\.msg$/m, 'owners and modes are kept');
		assert.match(listing, /^drwx------ root\/root .* \.\/controller\/$/m);
		assert.match(listing, /^-rw------- core\/core .* \.\/home\/core\/\.netrc$/m);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

test('the live log keeps growing', async () => {
	const file = join(env.storeDir, LIVE_LOG);
	const start = statSync(file);
	// Grown, or rotated to a new file (the appender renames it past 1 MiB).
	const changed = () => {
		const now = statSync(file);
		return now.ino !== start.ino || now.size > start.size;
	};
	const deadline = Date.now() + 5000;
	while (!changed()) {
		assert.ok(Date.now() < deadline, 'the live log did not grow within 5 s');
		await new Promise((r) => setTimeout(r, 10));
	}
});

test('`sudo find ... -printf "%s %P\\n"` lists the store\'s files with sizes', async () => {
	const res = await runOnHost(env, commands.listStore());
	assert.equal(res.code, 0, res.stderr);
	const lines = res.stdout.toString().trimEnd().split('\n');
	const files = new Map(lines.map((l) => [l.slice(l.indexOf(' ') + 1), Number(l.slice(0, l.indexOf(' ')))]));
	for (const entry of storeLayout().filter((e) => e.content !== undefined && e.path !== LIVE_LOG)) {
		assert.equal(files.get(entry.path), Buffer.byteLength(entry.content ?? ''), entry.path);
	}
	assert.ok(files.has(LIVE_LOG));
});
