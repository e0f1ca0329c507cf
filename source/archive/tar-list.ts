/**
 * Reads a .tar.gz without unpacking it: the regular files it holds (path and
 * size), to check an extraction on the host, and whether it is whole, to
 * check a download. tar-stream parses the headers (GNU long names, pax
 * extended and global headers, base-256 sizes) and fails on a damaged header
 * or an entry cut short.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract, type Header } from 'tar-stream';

export interface TarFile {
	path: string;
	size: number;
}

export interface TarContents {
	files: TarFile[];
	/**
	 * The archive closed with tar's end-of-archive (two zero blocks). A tar that
	 * dies between two files still leaves gzip a valid trailer, and tar-stream
	 * skips zero blocks rather than report them: only this tells the cut apart.
	 */
	ended: boolean;
}

const BLOCK = 512;

function isRegularFile(header: Header): boolean {
	return header.type === 'file' || header.type === 'contiguous-file';
}

function normalize(path: string): string {
	return path.replace(/^\.\//, '').replace(/\/$/, '');
}

/**
 * A writable taking the compressed bytes, and what they held once it ends:
 * rejected when gzip's CRC or length, or a tar header, is wrong.
 */
export function tarGzReader(): { input: Writable; contents: Promise<TarContents> } {
	const gunzip = createGunzip();
	// Old v7 archives have no magic: accepted as tar would; headers' checksums are still checked.
	// (tar-stream's types leave this option out.)
	const entries = extract({ allowUnknownFormat: true } as Parameters<typeof extract>[0]);
	const files: TarFile[] = [];
	let tail = Buffer.alloc(0);
	entries.on('entry', (header, body, next) => {
		if (isRegularFile(header)) files.push({ path: normalize(header.name), size: header.size });
		body.on('end', () => next());
		body.resume();
	});
	const tracked = new Writable({
		write(chunk: Buffer, _encoding, callback) {
			tail = Buffer.concat([tail, chunk]).subarray(-2 * BLOCK);
			if (entries.write(chunk)) callback();
			else entries.once('drain', () => callback());
		},
		final(callback) {
			entries.once('finish', () => callback());
			entries.once('error', (error: Error) => callback(error));
			entries.end(undefined);
		},
	});
	entries.on('error', (error: Error) => tracked.destroy(error));
	// `contents` carries the failure; a write that lands after it must not become an uncaught 'error'.
	gunzip.on('error', () => undefined);
	const contents = pipeline(gunzip, tracked).then(() => ({ files, ended: tail.length === 2 * BLOCK && tail.every((byte) => byte === 0) }));
	return { input: gunzip, contents };
}

export async function listTarGz(file: string): Promise<TarFile[]> {
	const reader = tarGzReader();
	const [, contents] = await Promise.all([pipeline(createReadStream(file), reader.input), reader.contents]);
	return contents.files;
}
