#!/usr/bin/env node
/**
 * Entry point: flags first, heavy modules (Ink, the S3 SDK, ssh2) only once a
 * command needs them, so --help and --version answer at once.
 */
import { HELP, parseCommandLine } from './cli/args.js';
import { EXIT, UserError } from './errors.js';
import { TOOL } from './version.js';
import { inCi } from './cli/in-ci.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// no-color.org: any non-empty NO_COLOR turns colour off. listr2 honours it; Ink's chalk only
// reads FORCE_COLOR, so it is set here, before any module that colours is loaded.
if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0';

async function main(argv: string[]): Promise<number> {
	const { command, positionals, flags } = parseCommandLine(argv);
	if (flags.version) {
		process.stdout.write(`${TOOL.version}\n`);
		return EXIT.ok;
	}
	if (flags.help || command === 'help') {
		process.stdout.write(`${HELP}\n`);
		return EXIT.ok;
	}
	const terminal = Boolean(process.stdin.isTTY && process.stdout.isTTY) && !inCi();
	const interactive = terminal && !flags.plain;
	// --plain in a terminal still asks what the flags leave open, one line at a time.
	const askInTerminal = terminal && Boolean(flags.plain) && !flags['dry-run'];
	switch (command) {
		case 'backup':
		case 'restore':
		case undefined: {
			if (interactive && !flags['dry-run']) {
				const { wizardCommand } = await import('./commands/wizard.js');
				return wizardCommand(command, flags, positionals);
			}
			if (command === undefined) throw new UserError(`${terminal ? 'With --plain' : 'Without a terminal'}, name a command: deis-backup backup|restore|verify (see --help).`, 2);
			if (command === 'backup') return (await import('./commands/backup.js')).backupCommand(flags, positionals, askInTerminal);
			return (await import('./commands/restore.js')).restoreCommand(flags, positionals, askInTerminal);
		}
		case 'verify':
			return (await import('./commands/verify.js')).verifyCommand(positionals);
		case 'settings':
			return (await import('./commands/settings.js')).settingsCommand(positionals, Boolean(flags.json));
		case 'demo':
			return (await import('./commands/demo.js')).demoCommand(flags, interactive);
		default:
			throw new UserError(`Unknown command ${JSON.stringify(command)}; see deis-backup --help.`, 2);
	}
}

main(process.argv.slice(2)).then(
	(code) => {
		process.exitCode = code;
		// After a wizard, Ink leaves the terminal's stdin reading: pausing it lets the process end.
		// Only here, at the very end: the second wizard of the demo would hear no keys.
		process.stdin.pause();
	},
	(error: unknown) => {
		if (error instanceof UserError) {
			process.stderr.write(`deis-backup: ${error.message}\n`);
			process.exitCode = error.exitCode;
		} else {
			process.stderr.write(`deis-backup: unexpected error (a bug; please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
			process.exitCode = EXIT.failed;
		}
	},
);
