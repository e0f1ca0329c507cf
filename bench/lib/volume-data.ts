/**
 * A store volume worth archiving: log-like text (what /var/lib/deis/store
 * mostly holds), varied enough that gzip works for its ratio (~4-6×) instead
 * of either flying through repeats or grinding on random bytes.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { MiB } from './env.js';

const PATHS = ['/v1/_ping', '/v1/images/{id}/json', '/v1/images/{id}/layer', '/v1/repositories/library/webapp/tags', '/v2/apps/webapp/releases', '/healthz'];
const AGENTS = ['docker/1.5.0 go/go1.4.1 kernel/3.19.0 os/linux arch/amd64', 'python-requests/2.4.3 CPython/2.7.6', 'Go 1.1 package http', 'curl/7.40.0'];

function block(bytes: number, seed: number): Buffer {
	const random = randomBytes(bytes / 4);
	let at = 0;
	const next = (n: number) => {
		if (at + n > random.length) at = 0;
		const value = random.readUIntBE(at, n);
		at += n;
		return value;
	};
	const lines: string[] = [];
	let size = 0;
	let t = 1_441_756_800 + seed * 86_400;
	while (size < bytes) {
		t += next(1) % 3;
		const stamp = new Date(t * 1000).toISOString();
		const path = (PATHS[next(1) % PATHS.length] as string).replace('{id}', random.toString('hex', at % (random.length - 32), (at % (random.length - 32)) + 32));
		const line = `${stamp} deis-registry[${1000 + (next(1) % 8)}]: 10.21.${next(1)}.${next(1)} - - [${stamp}] "GET ${path} HTTP/1.1" ${next(1) % 16 === 0 ? 404 : 200} ${next(3) % 70_000} "-" "${AGENTS[next(1) % AGENTS.length]}" rt=0.${String(next(2) % 1000).padStart(3, '0')}\n`;
		lines.push(line);
		size += line.length;
	}
	return Buffer.from(lines.join('')).subarray(0, bytes);
}

/** Writes `total` bytes as files of up to 50 MB under dir; returns the file count. */
export async function writeVolumeData(dir: string, total: number): Promise<number> {
	mkdirSync(dir, { recursive: true });
	const fileBytes = 50 * 1_000_000;
	const blocks = [0, 1, 2, 3].map((i) => block(4 * MiB, i));
	let left = total;
	let files = 0;
	while (left > 0) {
		const size = Math.min(left, fileBytes);
		const out = createWriteStream(join(dir, `registry-${String(files).padStart(3, '0')}.log`));
		let written = 0;
		let i = files;
		while (written < size) {
			const chunk = (blocks[i++ % blocks.length] as Buffer).subarray(0, Math.min(4 * MiB, size - written));
			written += chunk.length;
			if (!out.write(chunk)) await once(out, 'drain');
		}
		out.end();
		await once(out, 'close');
		left -= size;
		files++;
	}
	return files;
}
