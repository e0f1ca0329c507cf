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

/**
 * A journal only saves work: a line that is lost means its item is redone on
 * resume, never that anything is taken for done. So a failed write (a full
 * disk) is recorded, not thrown: without a listener it would be an unhandled
 * 'error' event that kills the process, and the file being saved at the same
 * time reports the full disk in plain words anyway.
 */
export class Journal<T> {
	private failed?: Error;

	private constructor(private readonly stream: WriteStream) {
		stream.on('error', (error: Error) => {
			this.failed ??= error;
		});
	}

	static async open<T>(path: string): Promise<Journal<T>> {
		await mkdir(dirname(path), { recursive: true, mode: 0o700 });
		const stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
		await new Promise<void>((resolve, reject) => stream.once('open', () => resolve()).once('error', reject));
		return new Journal<T>(stream);
	}

	/** The write error that stopped the journal, if any. */
	get failure(): Error | undefined {
		return this.failed;
	}

	append(entry: T): void {
		if (this.failed || this.stream.destroyed) return;
		this.stream.write(`${JSON.stringify(entry)}\n`);
	}

	close(): Promise<void> {
		if (this.failed || this.stream.destroyed) return Promise.resolve();
		return new Promise((resolve) => this.stream.end(() => resolve()));
	}
}
