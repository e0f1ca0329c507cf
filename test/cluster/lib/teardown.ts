/** Stopping the whole cluster by recorded pids, in dependency order. Idempotent. */
import { existsSync, readdirSync } from 'node:fs';
import { stopCeph } from './ceph.js';
import { removeHostsEntry } from './hosts-file.js';
import { removeOptBin } from './opt-bin.js';
import { removeReleaseFile } from './release-file.js';
import { paths } from './paths.js';
import { stopPostgres } from './postgres.js';
import { stopDaemon } from './proc.js';
import { stopRouter } from './router.js';
import { removeSudoers, stopSshHost } from './ssh-host.js';
import { detachStorePath } from './store-path.js';
import { stopAppender } from './store-files.js';

export async function stopCluster(): Promise<void> {
	// No new commands or writes first, then the services; etcd last (shims read it until the end).
	await Promise.all([stopAppender(), stopSshHost()]);
	await Promise.all([stopRouter().then(stopCeph), stopPostgres()]);
	await stopDaemon('etcd');
	// Anything else that left a pid file (a daemon added later, a half-finished start).
	if (existsSync(paths.pids)) {
		for (const file of readdirSync(paths.pids).filter((f) => f.endsWith('.pid'))) await stopDaemon(file.slice(0, -4));
	}
	removeHostsEntry();
	removeOptBin();
	removeReleaseFile();
	removeSudoers();
	await detachStorePath();
}
