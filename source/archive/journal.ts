/**
 * An append-only record of finished items (one JSON object a line), so a run
 * that is interrupted resumes without redoing them. A torn last line from a
 * crash is ignored.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function readJournal<T>(path: string): Promise<T[]> {
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
		throw error;
	}
	const entries: T[] = [];
	for (const line of text.split('\n')) {
		if (!line) continue;
		try {
			entries.push(JSON.parse(line) as T);
		} catch {
			// The line a crash cut short: its item is redone.
		}
	}
	return entries;
}

export class Journal<T> {
	private constructor(private readonly stream: WriteStream) {}

	static async open<T>(path: string): Promise<Journal<T>> {
		await mkdir(dirname(path), { recursive: true, mode: 0o700 });
		const stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
		await new Promise<void>((resolve, reject) => stream.once('open', () => resolve()).once('error', reject));
		return new Journal<T>(stream);
	}

	append(entry: T): void {
		this.stream.write(`${JSON.stringify(entry)}\n`);
	}

	close(): Promise<void> {
		return new Promise((resolve, reject) => this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
	}
}
