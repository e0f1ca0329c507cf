import type { Readable, Writable } from 'node:stream';
import type { DemoEtcd } from '../etcd.js';
import type { DemoModel } from '../model.js';
import type { DemoUnits } from '../units.js';

/** One command running on the demo host: its words and the SSH channel's streams. */
export interface Exec {
	argv: string[];
	stdin: Readable;
	stdout: Writable;
	stderr: Writable;
	/** Set when the command runs through sudo. */
	root: boolean;
	/**
	 * Typed in a login shell (the SSH `shell` session), whose PATH has /opt/bin
	 * and which has CoreOS' profile.d functions (nse); a command sent with SSH
	 * `exec` has neither.
	 */
	login: boolean;
	/** The process' environment; inside a container only what the command line sets (`env NAME=value …`). */
	env: Record<string, string>;
	/** Aborted when the client goes away mid-command. */
	signal: AbortSignal;
}

/** The machine state command handlers read and change. */
export interface HostState {
	mode: 'source' | 'fresh';
	/** What `hostname -I` prints; the controller reaches etcd at `<ip>:4001`. */
	hostIp: string;
	hostname: string;
	/** Stands in for /var/lib/deis/store. */
	storeDir: string;
	etcd: DemoEtcd;
	units: DemoUnits;
	model: DemoModel;
	/** Keys the store gateway generates on its first start (s3rver already accepts them). */
	gatewayKeys: { accessKey: string; secretKey: string };
	/** What /etc/deis-release says (`DEIS_RELEASE=<release>`). */
	release: string;
	/** 'later' has load_db_state_to_etcd (after deis/deis PR #4394); 'older' only the shell re-save. */
	controllerRelease: 'later' | 'older';
	/** Starts appending to the registry log, as a live cluster does; returns the stop function. */
	startLiveLog(): () => Promise<void>;
}

export type Handler = (exec: Exec, host: HostState) => Promise<number>;

/** Writes and waits for the stream to take it, so large outputs respect backpressure. */
export function write(stream: Writable, data: string | Buffer): Promise<void> {
	return new Promise((resolve, reject) => {
		stream.write(data, (err) => (err ? reject(err) : resolve()));
	});
}

/**
 * Reads a whole input stream (small scripts on stdin). Not `for await`: ending
 * that loop destroys the stream, and an SSH channel's writable side with it,
 * before the exit status is sent.
 */
export function readAll(stream: Readable): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		stream.on('data', (c: Buffer | string) => chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c)));
		stream.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		stream.once('error', reject);
	});
}
