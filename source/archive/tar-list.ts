/**
 * Lists the regular files of a .tar.gz (path and size) without unpacking it,
 * to check an extraction on the host. Reads ustar headers plus the GNU long
 * name and pax path extensions that GNU tar writes for long paths.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

export interface TarFile {
	path: string;
	size: number;
}

const BLOCK = 512;

function field(header: Buffer, offset: number, length: number): string {
	const raw = header.subarray(offset, offset + length);
	const end = raw.indexOf(0);
	return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

function octal(header: Buffer, offset: number, length: number): number {
	const raw = header.subarray(offset, offset + length);
	// GNU base-256 for sizes of 8 GiB and more.
	if ((raw[0] ?? 0) & 0x80) return raw.subarray(1).reduce((value, byte) => value * 256 + byte, 0);
	return Number.parseInt(field(header, offset, length).trim() || '0', 8);
}

function normalize(path: string): string {
	return path.replace(/^\.\//, '').replace(/\/$/, '');
}

export async function listTarGz(file: string): Promise<TarFile[]> {
	const files: TarFile[] = [];
	let buffer = Buffer.alloc(0);
	let skip = 0;
	let pendingName: string | undefined;
	let collect: { type: string; size: number; data: Buffer[]; got: number } | undefined;
	for await (const chunk of createReadStream(file).pipe(createGunzip())) {
		buffer = Buffer.concat([buffer, chunk as Buffer]);
		for (;;) {
			if (collect) {
				const take = Math.min(collect.size - collect.got, buffer.length);
				collect.data.push(buffer.subarray(0, take));
				collect.got += take;
				buffer = buffer.subarray(take);
				if (collect.got < collect.size) break;
				const text = Buffer.concat(collect.data).toString('utf8');
				pendingName = collect.type === 'L' ? text.replace(/\0.*$/s, '') : (/\d+ path=([^\n]*)\n/.exec(text)?.[1] ?? pendingName);
				skip = (BLOCK - (collect.size % BLOCK)) % BLOCK;
				collect = undefined;
			}
			if (skip > 0) {
				const take = Math.min(skip, buffer.length);
				buffer = buffer.subarray(take);
				skip -= take;
				if (skip > 0) break;
			}
			if (buffer.length < BLOCK) break;
			const header = buffer.subarray(0, BLOCK);
			buffer = buffer.subarray(BLOCK);
			if (header.every((byte) => byte === 0)) continue;
			const type = String.fromCharCode(header[156] ?? 48);
			const size = octal(header, 124, 12);
			if (type === 'L' || type === 'x') {
				collect = { type, size, data: [], got: 0 };
				continue;
			}
			const prefix = field(header, 345, 155);
			const name = pendingName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
			pendingName = undefined;
			if (type === '0' || type === '\0' || type === '7') files.push({ path: normalize(name), size });
			skip = Math.ceil(size / BLOCK) * BLOCK;
		}
	}
	return files;
}
