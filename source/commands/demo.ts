/**
 * `deis-backup demo`: a walkthrough on two demo clusters started inside this
 * process: back up the first, restore into the second, verify. The step
 * modules and screens are the real ones; only the cluster is simulated.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Flags } from '../cli/args.js';
import { pausePoint } from '../util/pause-point.js';
import { startDemoCluster, type DemoCluster } from '../demo/cluster.js';
import { EXIT } from '../errors.js';
import { runBackup } from '../plans/backup.js';
import { backupOptions, restoreOptions } from '../plans/options.js';
import { runRestore } from '../plans/restore.js';
import type { PlanAnswers, RunSummary } from '../plans/types.js';
import type { DemoIntro } from '../ui/components/demo-intro.js';
import { exitCodeOf, outputModeOf, plainHooks, plainListrOptions, printSummary } from './plain-output.js';
import { abortOnSignals } from './interrupts.js';
import { concurrencyOf } from './run-flags.js';
import { withoutFetch } from '../ui/without-fetch.js';

/** What the demo tells first; the wizard lays it out to the terminal's width, the plain mode as lines. */
function intro(source: DemoCluster, root: string): DemoIntro {
	const c = source.connection;
	return {
		title: 'deis-backup demo: two simulated Deis v1 clusters run inside this process.',
		rows: [
			{
				label: 'source cluster',
				lines: [
					`ssh -p ${c.port} core@127.0.0.1 (as Vagrant's 127.0.0.1:2222)`,
					`domain ${c.domain}; its gateway is at ${c.storeEndpoint ?? ''}`,
					`(deis-store.${c.domain} does not resolve here, so the URL is given)`,
				],
			},
			{ label: 'fresh cluster', lines: ['a new cluster with nothing installed, for the restore'] },
			{ label: 'files', lines: [`${root} (removed at exit; --keep keeps them)`] },
		],
	};
}

function introText({ title, rows }: DemoIntro): string {
	const width = Math.max(...rows.map((row) => row.label.length)) + 2;
	const lines = rows.flatMap((row) => row.lines.map((line, i) => `  ${(i === 0 ? row.label : '').padEnd(width)}${line}`));
	return `${title}\n${lines.join('\n')}\n`;
}

export async function demoCommand(flags: Flags, interactive: boolean): Promise<number> {
	const root = await mkdtemp(join(tmpdir(), 'deis-backup-demo-'));
	const clusters: DemoCluster[] = [];
	// A Ctrl-C while the clusters start, a second Ctrl-C mid-run: the process exits at once, and
	// the demo's files (15 MB of clusters and backup) go with it unless --keep.
	const removeAtExit = () => {
		if (flags.keep) {
			process.stderr.write(`Demo files kept in ${root}\n`);
			return;
		}
		try {
			// A Ctrl-C lands while the clusters' files are still being made on the thread pool: a file
			// made between the listing and the rmdir fails it (ENOTEMPTY), and a retry removes it too.
			rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
		} catch (error) {
			process.stderr.write(`deis-backup: could not remove the demo's files in ${root} (${(error as Error).message}); remove that folder by hand.\n`);
		}
	};
	process.on('exit', removeAtExit);
	// The Ctrl-C test stops here, with the folder made and the clusters about to start.
	pausePoint('demo clusters');
	try {
		const [source, fresh] = await Promise.all([startDemoCluster({ root, mode: 'source' }), startDemoCluster({ root, mode: 'fresh' })]);
		clusters.push(source, fresh);
		const folder = join(root, 'backup');
		const backupAnswers: PlanAnswers = { kind: 'backup', connection: source.connection, folder, skipDatabase: false, skipVolume: false };
		const restoreAnswers: PlanAnswers = { kind: 'restore', connection: fresh.connection, folder, skipDatabase: true, skipVolume: false };
		if (interactive && !flags.yes) return await demoWizard(backupAnswers, restoreAnswers, flags, intro(source, root));
		process.stderr.write(introText(intro(source, root)));
		return await demoPlain(backupAnswers, restoreAnswers, flags);
	} finally {
		await Promise.all(clusters.map((cluster) => cluster.stop()));
		process.off('exit', removeAtExit);
		if (flags.keep) process.stderr.write(`Demo files kept in ${root}\n`);
		else await rm(root, { recursive: true, force: true });
	}
}

async function demoPlain(backup: PlanAnswers, restore: PlanAnswers, flags: Flags): Promise<number> {
	const { signal, dispose } = abortOnSignals();
	const concurrency = concurrencyOf(flags);
	const mode = outputModeOf(flags);
	try {
		process.stderr.write('\n== Backing up the source cluster\n');
		const saved = await runBackup(backupOptions({ answers: backup, signal, hooks: plainHooks(mode) }, { concurrency }), await plainListrOptions(mode));
		await printSummary(saved, { mode });
		if (!saved.ok) return exitCodeOf(saved);
		process.stderr.write('\n== Restoring into the fresh cluster\n');
		// The fresh cluster's router is left as the demo found it, as after a real restore with --reset-body-size.
		const restored: RunSummary = await runRestore(
			restoreOptions({ answers: restore, signal, hooks: plainHooks(mode) }, { concurrency, resetBodySize: true }),
			await plainListrOptions(mode),
		);
		await printSummary(restored, { mode });
		if (!restored.ok) return exitCodeOf(restored);
		process.stderr.write('\nDemo complete: the fresh cluster holds every object, the volume files and the controller keys of the source.\n');
		return EXIT.ok;
	} finally {
		dispose();
	}
}

async function demoWizard(backup: PlanAnswers, restore: PlanAnswers, flags: Flags, about: DemoIntro): Promise<number> {
	const { renderWizard } = await withoutFetch(() => import('../ui/render-wizard.js'));
	const { demoIntroElement } = await import('../ui/components/demo-intro.js');
	const { createWizardServices } = await import('./wizard-services.js');
	const { wizardExitCode } = await import('./wizard.js');
	// The demo's ports and keys are thrown away at exit: a profile of them would lead nowhere.
	const { saveProfile: _save, profiles: _profiles, ...services } = createWizardServices({ concurrency: concurrencyOf(flags), resetBodySize: true });
	const saved = await renderWizard(services, backup, { intro: demoIntroElement(about) });
	if (saved.kind !== 'ran' || !saved.summary.ok) return wizardExitCode(saved);
	process.stdout.write('\nNext: restore this backup into the fresh demo cluster.\n');
	return wizardExitCode(await renderWizard(services, restore));
}
