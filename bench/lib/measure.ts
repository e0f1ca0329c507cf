/**
 * Runs one command under GNU time: wall time from the bench's clock (spawn to
 * exit, process start-up included), peak RSS and CPU from /usr/bin/time.
 * Output goes to a log file per run, kept for the post-mortem of a failure.
 */
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync, rmSync, statSync, readSync } from 'node:fs';
import { join } from 'node:path';

export interface Sample {
	wallMs: number;
	/** Peak resident set of the process tree's largest member (GNU time's %M), bytes. */
	rssBytes: number;
	cpuMs: number;
	code: number;
	/** HTTP requests the router saw for bench buckets during the run, when counted. */
	requests?: number;
}

let sequence = 0;

export async function timed(argv: string[], env: NodeJS.ProcessEnv, logDir: string, label: string, cwd?: string): Promise<Sample & { log: string }> {
	const id = `${String(++sequence).padStart(4, '0')}-${label.replace(/[^A-Za-z0-9.-]+/g, '_')}`;
	const log = join(logDir, `${id}.log`);
	const timeFile = join(logDir, `${id}.time`);
	const fd = openSync(log, 'w');
	const started = process.hrtime.bigint();
	const code = await new Promise<number>((resolvePromise, reject) => {
		const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', timeFile, ...argv], { env, cwd, stdio: ['ignore', fd, fd] });
		child.on('error', reject);
		child.on('exit', (exitCode, signal) => resolvePromise(exitCode ?? (signal ? 128 : 1)));
	});
	const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
	closeSync(fd);
	const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
	rmSync(timeFile, { force: true });
	const [rssKb = '0', user = '0', sys = '0'] = (lines.at(-1) ?? '').split(' ');
	return { wallMs, rssBytes: Number(rssKb) * 1024, cpuMs: (Number(user) + Number(sys)) * 1000, code, log };
}

export function tail(path: string, bytes = 1500): string {
	try {
		const text = readFileSync(path, 'utf8');
		return text.slice(-bytes);
	} catch {
		return '';
	}
}

/**
 * Counts the router's access-log lines for /bench-* paths written since
 * `mark()`: how many HTTP requests a tool needed (other users of the cluster
 * write there too; their lines do not name bench buckets).
 */
export class RequestCounter {
	private offset = 0;
	constructor(private readonly path: string) {}

	mark(): void {
		try {
			this.offset = statSync(this.path).size;
		} catch {
			this.offset = 0;
		}
	}

	private lines(): string[] {
		let size: number;
		try {
			size = statSync(this.path).size;
		} catch {
			return [];
		}
		const length = size - this.offset;
		if (length <= 0) return [];
		const buffer = Buffer.alloc(length);
		const fd = openSync(this.path, 'r');
		try {
			readSync(fd, buffer, 0, length, this.offset);
		} finally {
			closeSync(fd);
		}
		return buffer.toString('utf8').split('\n');
	}

	/** Requests on objects (not the bucket: listings, HEAD bucket) of bucket with method, since mark(). */
	objectRequests(method: string, bucket: string): number {
		const pattern = new RegExp(`"${method} /${bucket}/[^?\\s]+[ ?]`);
		return this.lines().filter((line) => pattern.test(line)).length;
	}

	count(): { total: number; byMethod: Record<string, number> } {
		const byMethod: Record<string, number> = {};
		let total = 0;
		for (const line of this.lines()) {
			const match = /"([A-Z]+) \/bench-/.exec(line);
			if (!match?.[1]) continue;
			total++;
			byMethod[match[1]] = (byMethod[match[1]] ?? 0) + 1;
		}
		return { total, byMethod };
	}
}

export function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	if (sorted.length === 0) return Number.NaN;
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
