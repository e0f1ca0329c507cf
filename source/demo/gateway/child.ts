/**
 * The store gateways' process: s3rver instances on 127.0.0.1, one per demo
 * cluster, each on a random port with its own storage folder.
 *
 * It runs apart from the tool because s3rver makes ListObjectsV2 continuation
 * tokens with DES, which Node 20 only offers under --openssl-legacy-provider;
 * the tool's own process should not need that flag. One process serves every
 * cluster of its parent, since loading s3rver costs more than running it.
 *
 * IPC in:  { type: 'start', id, directory, accessKey, secretKey } | { type: 'stop', id }
 * IPC out: { type: 'started', id, port } | { type: 'stopped', id } | { type: 'error', id, message }
 */
// s3rver's missing types, declared beside this file; referenced so a compile of this file alone finds them.
/// <reference path="./s3rver.d.ts" />
import { createCipheriv } from 'node:crypto';
// Imported, not required at run time: the published bundle then carries s3rver, and its
// dependencies (about 10 MB installed) are no longer installed with deis-backup.
import s3rverModule from 's3rver';
import accountModule from 's3rver/lib/models/account.js';
import { messageOf } from '../../errors.js';

interface S3rverInstance {
	run(): Promise<{ port: number }>;
	close(): Promise<void>;
}
type S3rverClass = new (opts: Record<string, unknown>) => S3rverInstance;
interface AccountModule {
	DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void; revokeAccessKey(id: string): void };
}
type Request = { type: 'start'; id: number; directory: string; accessKey: string; secretKey: string } | { type: 'stop'; id: number };

const send = (m: Record<string, unknown>) => process.send?.(m);

// fail at start, not at the first listing of more than 1,000 keys
createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
const S3rver = s3rverModule as S3rverClass;
// s3rver knows one hard-wired account (S3RVER/S3RVER); the clusters' generated keys replace it.
// Every key opens every instance here: the router in front of each cluster admits only its own.
const { DUMMY_ACCOUNT } = accountModule as AccountModule;
DUMMY_ACCOUNT.revokeAccessKey('S3RVER');

const servers = new Map<number, S3rverInstance>();

process.on('message', (m: Request) => {
	if (m.type === 'start') {
		DUMMY_ACCOUNT.createKeyPair(m.accessKey, m.secretKey);
		const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: m.directory, vhostBuckets: false });
		server.run().then(
			({ port }) => {
				servers.set(m.id, server);
				send({ type: 'started', id: m.id, port });
			},
			(e: unknown) => send({ type: 'error', id: m.id, message: messageOf(e) }),
		);
	} else if (m.type === 'stop') {
		const server = servers.get(m.id);
		servers.delete(m.id);
		void (server ? server.close().catch(() => {}) : Promise.resolve()).then(() => send({ type: 'stopped', id: m.id }));
	}
});
// the parent is the cluster: when it goes, so do the gateways
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
