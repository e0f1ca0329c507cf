/**
 * The store gateway's process: s3rver on 127.0.0.1, a random port.
 *
 * It runs apart from the tool because s3rver makes ListObjectsV2 continuation
 * tokens with DES, which Node 20 only offers under --openssl-legacy-provider;
 * the tool's own process should not need that flag.
 *
 * argv[2]: JSON { directory, accessKey, secretKey }. Reports { port } over IPC.
 */
import { createCipheriv } from 'node:crypto';
import { createRequire } from 'node:module';

interface S3rverInstance {
	run(): Promise<{ port: number }>;
	close(): Promise<void>;
}
type S3rverClass = new (opts: Record<string, unknown>) => S3rverInstance;
interface AccountModule {
	DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void; revokeAccessKey(id: string): void };
}

const require = createRequire(import.meta.url);

async function main(): Promise<void> {
	const { directory, accessKey, secretKey } = JSON.parse(process.argv[2] ?? '{}') as Record<string, string>;
	if (!directory || !accessKey || !secretKey) throw new Error('gateway child: missing configuration');
	// fail at start, not at the first listing of more than 1,000 keys
	createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));

	const S3rver = require('s3rver') as S3rverClass;
	// s3rver knows one hard-wired account; give it this cluster's generated keys instead of S3RVER/S3RVER
	const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account') as AccountModule;
	DUMMY_ACCOUNT.revokeAccessKey('S3RVER');
	DUMMY_ACCOUNT.createKeyPair(accessKey, secretKey);

	const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, vhostBuckets: false });
	const { port } = await server.run();
	process.send?.({ type: 'ready', port });
	// the parent is the cluster: when it goes, so does the gateway
	process.on('disconnect', () => process.exit(0));
}

main().catch((e: unknown) => {
	process.send?.({ type: 'error', message: e instanceof Error ? e.message : String(e) });
	process.exit(1);
});
