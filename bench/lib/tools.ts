/**
 * The contenders and how each is invoked. Peers get private config files and
 * a private HOME, so nothing from the user's ~/.s3cfg, ~/.aws or rclone.conf
 * leaks in; all of them reach the gateway through the router, with the keys
 * the cluster publishes in etcd.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ROUTER_HOST, type ClusterEnv } from './env.js';

export type ToolId = 'deis-backup' | 's3cmd' | 'rclone' | 'aws' | 'ceiling';

export interface Command {
	argv: string[];
	env: NodeJS.ProcessEnv;
}

export interface Tool {
	id: ToolId;
	/** Mirrors bucket into dir (deis-backup: dir is its backup folder). */
	download(bucket: string, dir: string): Command;
	/** Syncs the local folder into bucket (deis-backup: restores the backup folder `dir`). */
	upload(dir: string, bucket: string): Command;
}

export const CLI = join(ROOT, 'dist/cli.js');

export function connectionFlags(env: ClusterEnv): string[] {
	return ['--host', env.host, '--port', String(env.port), '--identity', env.identity, '--known-hosts', env.knownHosts, '--domain', env.domain];
}

export function makeTools(env: ClusterEnv, scratch: string, concurrency?: number): Tool[] {
	const home = join(scratch, 'home');
	const conf = join(scratch, 'conf');
	mkdirSync(home, { recursive: true });
	mkdirSync(conf, { recursive: true });
	const base: NodeJS.ProcessEnv = {
		PATH: process.env.PATH,
		HOME: home,
		LANG: 'C.UTF-8',
		AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
		NO_COLOR: '1',
	};
	const { accessKey, secretKey } = env.keys;
	const endpoint = `http://${ROUTER_HOST}`;

	const s3cfg = join(conf, 's3cfg');
	writeFileSync(
		s3cfg,
		[
			'[default]',
			`access_key = ${accessKey}`,
			`secret_key = ${secretKey}`,
			`host_base = ${ROUTER_HOST}`,
			`host_bucket = ${ROUTER_HOST}`,
			'use_https = False',
			'signature_v2 = False',
			'bucket_location = us-east-1',
			'progress_meter = False',
			'',
		].join('\n'),
		{ mode: 0o600 },
	);
	const rcloneConf = join(conf, 'rclone.conf');
	writeFileSync(rcloneConf, ['[bench]', 'type = s3', 'provider = Ceph', `access_key_id = ${accessKey}`, `secret_access_key = ${secretKey}`, `endpoint = ${endpoint}`, 'region = us-east-1', ''].join('\n'), {
		mode: 0o600,
	});
	const awsConf = join(conf, 'aws-config');
	writeFileSync(awsConf, ['[default]', 'region = us-east-1', 's3 =', '    addressing_style = path', ''].join('\n'), { mode: 0o600 });
	const awsEnv: NodeJS.ProcessEnv = {
		...base,
		AWS_CONFIG_FILE: awsConf,
		AWS_SHARED_CREDENTIALS_FILE: join(conf, 'aws-credentials-none'),
		AWS_ACCESS_KEY_ID: accessKey,
		AWS_SECRET_ACCESS_KEY: secretKey,
		AWS_DEFAULT_REGION: 'us-east-1',
		AWS_PAGER: '',
		AWS_EC2_METADATA_DISABLED: 'true',
	};
	const ours = [...connectionFlags(env), ...(concurrency ? ['--concurrency', String(concurrency)] : [])];

	return [
		{
			id: 'deis-backup',
			download: (bucket, dir) => ({ argv: ['node', CLI, 'backup', ...ours, '--out', dir, '--buckets', bucket, '--skip-volume', '--skip-database'], env: base }),
			upload: (dir) => ({ argv: ['node', CLI, 'restore', dir, ...ours, '--yes', '--skip-platform', '--skip-volume', '--skip-controller', '--skip-verify'], env: base }),
		},
		{
			id: 's3cmd',
			download: (bucket, dir) => ({ argv: ['s3cmd', '-c', s3cfg, 'sync', `s3://${bucket}/`, `${dir}/`], env: base }),
			upload: (dir, bucket) => ({ argv: ['s3cmd', '-c', s3cfg, 'sync', `${dir}/`, `s3://${bucket}/`], env: base }),
		},
		{
			id: 'rclone',
			download: (bucket, dir) => ({ argv: ['rclone', '--config', rcloneConf, 'sync', `bench:${bucket}`, dir], env: base }),
			upload: (dir, bucket) => ({ argv: ['rclone', '--config', rcloneConf, 'sync', dir, `bench:${bucket}`], env: base }),
		},
		{
			id: 'aws',
			download: (bucket, dir) => ({ argv: ['/usr/bin/aws', 's3', 'sync', `s3://${bucket}`, dir, '--endpoint-url', endpoint, '--no-progress', '--only-show-errors'], env: awsEnv }),
			upload: (dir, bucket) => ({ argv: ['/usr/bin/aws', 's3', 'sync', dir, `s3://${bucket}`, '--endpoint-url', endpoint, '--no-progress', '--only-show-errors'], env: awsEnv }),
		},
	];
}
