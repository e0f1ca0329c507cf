/**
 * The contenders and how each is invoked. Peers get private config files and
 * a private HOME, so nothing from the user's ~/.s3cfg, ~/.aws or rclone.conf
 * leaks in; all of them reach the gateway through the router, with the keys
 * the cluster publishes in etcd, configured as an operator must to reach a
 * Deis v1 gateway (radosgw before Jewel: AWS signature v2 only, ListObjects v1).
 *
 * The AWS CLI v2 is not a contender: it cannot sign v2, so a Deis v1 gateway
 * refuses it. It is only probed once (awsProbe) to show that.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ROUTER_HOST, type ClusterEnv } from './env.js';

/** The timed contenders; `rclone-16` is rclone with --transfers 16 --checkers 16, as a speed-seeking operator runs it. */
export type ToolId = 'deis-backup' | 's3cmd' | 'rclone' | 'rclone-16';

/** The peers of the targets: s3cmd, and rclone in either configuration (the faster one counts). */
export const RCLONE_IDS: readonly ToolId[] = ['rclone', 'rclone-16'];

export interface Command {
	argv: string[];
	env: NodeJS.ProcessEnv;
}

export interface Tool {
	id: ToolId;
	/** Downloads bucket into dir (deis-backup: dir is its backup folder). */
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
			// s3cmd would fall back to v2 by itself after a 400 InvalidArgument, one refused request per command; an operator who knows the gateway sets it.
			'signature_v2 = True',
			'bucket_location = us-east-1',
			'progress_meter = False',
			'',
		].join('\n'),
		{ mode: 0o600 },
	);
	const rcloneConf = join(conf, 'rclone.conf');
	writeFileSync(
		rcloneConf,
		[
			'[bench]',
			'type = s3',
			'provider = Ceph',
			`access_key_id = ${accessKey}`,
			`secret_access_key = ${secretKey}`,
			`endpoint = ${endpoint}`,
			'region = us-east-1',
			// rclone signs v4 unless told; pre-Jewel radosgw answers v4 with 400 InvalidArgument.
			'v2_auth = true',
			// The gateway ignores list-type=2 and never sends a continuation token: rclone's Ceph
			// provider already picks v1, pinned so a future default cannot make it stop at 1,000 keys.
			'list_version = 1',
			'',
		].join('\n'),
		{ mode: 0o600 },
	);
	const ours = [...connectionFlags(env), ...(concurrency ? ['--concurrency', String(concurrency)] : [])];

	return [
		{
			id: 'deis-backup',
			download: (bucket, dir) => ({ argv: ['node', CLI, 'backup', ...ours, '--out', dir, '--buckets', bucket, '--skip-volume', '--skip-database', '--skip-settings'], env: base }),
			upload: (dir) => ({ argv: ['node', CLI, 'restore', dir, ...ours, '--yes', '--skip-platform', '--skip-volume', '--skip-controller', '--skip-verify', '--skip-settings', '--skip-preflight'], env: base }),
		},
		{
			id: 's3cmd',
			download: (bucket, dir) => ({ argv: ['s3cmd', '-c', s3cfg, 'sync', `s3://${bucket}/`, `${dir}/`], env: base }),
			upload: (dir, bucket) => ({ argv: ['s3cmd', '-c', s3cfg, 'sync', `${dir}/`, `s3://${bucket}/`], env: base }),
		},
		rclone('rclone', []),
		rclone('rclone-16', ['--transfers', '16', '--checkers', '16']),
	];

	function rclone(id: ToolId, flags: string[]): Tool {
		return {
			id,
			download: (bucket, dir) => ({ argv: ['rclone', '--config', rcloneConf, ...flags, 'sync', `bench:${bucket}`, dir], env: base }),
			upload: (dir, bucket) => ({ argv: ['rclone', '--config', rcloneConf, ...flags, 'sync', dir, `bench:${bucket}`], env: base }),
		};
	}
}

/**
 * `aws s3 ls` against the router, with the AWS CLI v2 configured as for any
 * S3 clone: it signs only SigV4, so a v2-only gateway must refuse it (400
 * InvalidArgument). Never timed: a contender that cannot reach the gateway has
 * no time, and timing it against a modern gateway would compare the wrong thing.
 */
export function awsProbe(env: ClusterEnv, scratch: string, bucket: string): Command {
	const conf = join(scratch, 'conf');
	mkdirSync(conf, { recursive: true });
	const awsConf = join(conf, 'aws-config');
	writeFileSync(awsConf, ['[default]', 'region = us-east-1', 's3 =', '    addressing_style = path', ''].join('\n'), { mode: 0o600 });
	return {
		// Debian's v2 CLI: a pyenv shim earlier on PATH may be v1, which could still sign v2.
		argv: ['/usr/bin/aws', 's3', 'ls', `s3://${bucket}`, '--endpoint-url', `http://${ROUTER_HOST}`],
		env: {
			PATH: process.env.PATH,
			HOME: join(scratch, 'home'),
			LANG: 'C.UTF-8',
			AWS_CONFIG_FILE: awsConf,
			AWS_SHARED_CREDENTIALS_FILE: join(conf, 'aws-credentials-none'),
			AWS_ACCESS_KEY_ID: env.keys.accessKey,
			AWS_SECRET_ACCESS_KEY: env.keys.secretKey,
			AWS_DEFAULT_REGION: 'us-east-1',
			AWS_PAGER: '',
			AWS_EC2_METADATA_DISABLED: 'true',
			// One answer is the point: the CLI's retries would only repeat the refusal.
			AWS_MAX_ATTEMPTS: '1',
		},
	};
}
