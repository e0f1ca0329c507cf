/**
 * Screenshots of the wizard for the README: runs `node dist/cli.js demo` in a
 * 100×36 tmux pane, answers it by keys, captures the screen with colours at
 * the moments worth showing, and writes each as media/wizard-<name>.svg.
 *
 *   npm run build && npx tsx media/capture.ts [--keep-ansi]
 *
 * --keep-ansi also writes the raw captures (media/wizard-<name>.ansi) for
 * looking at with `cat`. Needs tmux.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI, REPO, Pane, cliEnv } from '../test/e2e-pty/tmux.js';
import { ansiToSvg } from './ansi-svg.js';

const MEDIA = fileURLToPath(new URL('.', import.meta.url));
const COLUMNS = 100;
const ROWS = 36;
const keepAnsi = process.argv.includes('--keep-ansi');

/** Drops the lines above the first that matches `from` (the demo's introduction, an earlier screen). */
function cropFrom(ansi: string, from?: RegExp): string {
	if (!from) return ansi;
	const lines = ansi.split('\n');
	const plain = (line: string) => line.replace(/\u001B\[[0-9;:]*m/g, '');
	const at = lines.findIndex((line) => from.test(plain(line)));
	if (at <= 0) return ansi;
	// The style in force at the cut is carried by escapes above it: keep those, drop their text.
	const carried = lines.slice(0, at).join('').match(/\u001B\[[0-9;:]*m/g)?.join('') ?? '';
	return [carried + (lines[at] ?? ''), ...lines.slice(at + 1)].join('\n');
}

interface Shot {
	name: string;
	title: string;
	from?: RegExp;
}

const written: string[] = [];

async function shoot(pane: Pane, shot: Shot): Promise<void> {
	const ansi = cropFrom(await pane.screen(true), shot.from);
	const svg = ansiToSvg(ansi, { title: shot.title, columns: COLUMNS });
	const file = join(MEDIA, `wizard-${shot.name}.svg`);
	await writeFile(file, svg);
	if (keepAnsi) await writeFile(join(MEDIA, `wizard-${shot.name}.ansi`), ansi);
	written.push(file);
	process.stderr.write(`wrote ${file}\n`);
}

/** The first screen on which a progress bar stands between `low` and `high` percent in the named task. */
async function midTransfer(pane: Pane, task: RegExp, low: number, high: number): Promise<void> {
	await pane.waitFor((screen) => {
		if (!task.test(screen)) return false;
		const percent = /[█░]{10,}\s+(\d+)%/.exec(screen);
		return percent !== null && Number(percent[1]) >= low && Number(percent[1]) <= high;
	}, 60_000);
}

async function main(): Promise<void> {
	const home = await mkdtemp(join(tmpdir(), 'deis-backup-media-'));
	// --concurrency 1: one object at a time, so the mirror lasts long enough to catch its progress bar.
	const pane = await Pane.start({
		argv: [process.execPath, CLI, 'demo', '--concurrency', '1'],
		cwd: REPO,
		env: cliEnv(home, { FORCE_COLOR: '1' }),
		width: COLUMNS,
		height: ROWS,
	});
	const title = 'deis-backup demo';
	try {
		// Backup: the connection review, pre-filled by the demo.
		await pane.waitFor('❯ Use these settings', 60_000);
		await shoot(pane, { name: 'connection', title, from: /^Connection$/ });
		await pane.press('Enter');

		// The stages and the commands each stands for.
		await pane.waitFor('? Start the backup? (Y/n)', 30_000);
		await shoot(pane, { name: 'preview', title, from: /^✔ Connection · / });
		await pane.press('Enter');

		// The task list with the mirror's progress bar mid-way.
		await midTransfer(pane, /Download s3:\/\/\S+/, 25, 75);
		await shoot(pane, { name: 'backup-running', title, from: /^Backing up / });

		await pane.waitFor(/✔ Backup complete[\s\S]*Next: restore this backup/, 60_000);
		await shoot(pane, { name: 'backup-summary', title, from: /^✔ Backup complete/ });

		// Restore into the fresh demo cluster.
		await pane.waitFor(/Next: restore this backup[\s\S]*❯ Use these settings/, 30_000);
		await pane.press('Enter');
		await pane.waitFor(/\? Overwrite objects that differ when a bucket already has data\? \(type yes or no\) ›\s*$/, 30_000);
		await pane.answer('no');
		// The platform settings the restore would apply: Enter keeps the defaults.
		await pane.waitFor(/\? Platform settings to apply .*Enter applies\)/, 30_000);
		await pane.press('Enter');
		await pane.waitFor(/\? This will write to the cluster .* Continue\? \(type yes or no\) ›\s*$/, 30_000);
		await pane.answer('yes');
		await midTransfer(pane, /Push s3:\/\/\S+/, 25, 75);
		await shoot(pane, { name: 'restore-running', title, from: /^Restoring / });

		await pane.waitFor('✔ Restore complete', 60_000);
		await shoot(pane, { name: 'restore-summary', title, from: /^✔ Restore complete/ });
	} finally {
		await pane.close();
		await rm(home, { recursive: true, force: true });
	}
	process.stderr.write(`${written.length} screenshots in ${MEDIA}\n`);
}

await main();
