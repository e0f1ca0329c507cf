#!/usr/bin/env node
/**
 * Entry point: flags first, heavy modules (Ink, the S3 SDK, ssh2) only once a
 * command needs them, so --help and --version answer at once.
 */
import { helpFor, parseCommandLine, suggestCommand } from './cli/args.js';
import { EXIT, isPromptExit, UserError } from './errors.js';
import { TOOL } from './version.js';
import { inCi } from './cli/in-ci.js';
import { exitOnEarlyInterrupt } from './commands/interrupts.js';
import { withoutFetch } from './ui/without-fetch.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// no-color.org: any non-empty NO_COLOR turns colour off. listr2 honours it; Ink's chalk only
// reads FORCE_COLOR, so it is set here, before any module that colours is loaded.
if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0';

// `deis-backup … | head`: the reader is gone and nothing more we print can matter. A quiet
// exit instead of an EPIPE stack trace; stdout carries results only, so no run is cut short.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
	throw error;
});
exitOnEarlyInterrupt();

const json = process.argv.includes('--json');

async function main(argv: string[]): Promise<number> {
	const { command, positionals, flags } = parseCommandLine(argv);
	if (flags.version) {
		process.stdout.write(`${TOOL.version}\n`);
		return EXIT.ok;
	}
	if (flags.help || command === 'help') {
		process.stdout.write(`${helpFor(command === 'help' ? positionals[0] : command)}\n`);
		return EXIT.ok;
	}
	const terminal = Boolean(process.stdin.isTTY && process.stdout.isTTY) && !inCi();
	// --json is for scripts: its one summary must not share stdout with the wizard's frames.
	const interactive = terminal && !flags.plain && !flags.json;
	// --plain in a terminal still asks what the flags leave open, one line at a time.
	const askInTerminal = terminal && Boolean(flags.plain) && !flags['dry-run'] && !flags.json;
	switch (command) {
		case 'backup':
		case 'restore':
		case undefined: {
			if (interactive && !flags['dry-run']) {
				const { wizardCommand } = await withoutFetch(() => import('./commands/wizard.js'));
				return wizardCommand(command, flags, positionals);
			}
			if (command === undefined) throw new UserError(`${terminal ? 'With --plain' : 'Without a terminal'}, name a command: deis-backup backup|restore|verify (see --help).`, EXIT.usage);
			if (command === 'backup') return (await import('./commands/backup.js')).backupCommand(flags, positionals, askInTerminal);
			return (await import('./commands/restore.js')).restoreCommand(flags, positionals, askInTerminal);
		}
		case 'verify':
			return (await import('./commands/verify.js')).verifyCommand(positionals, flags);
		case 'settings':
			return (await import('./commands/settings.js')).settingsCommand(positionals, Boolean(flags.json));
		case 'demo':
			return (await import('./commands/demo.js')).demoCommand(flags, interactive);
		default: {
			const guess = suggestCommand(command);
			throw new UserError(`Unknown command ${JSON.stringify(command)}${guess ? `; did you mean ${guess}?` : ''} See deis-backup --help.`, EXIT.usage);
		}
	}
}

function fail(message: string, exitCode: number, details: string[] = []): void {
	for (const line of details) process.stderr.write(`  ${line}\n`);
	process.stderr.write(`deis-backup: ${message}\n`);
	// A script asked for JSON gets it on failure too: the same shape, with the exit code.
	if (json) process.stdout.write(`${JSON.stringify({ ok: false, exitCode, error: message, problems: details })}\n`);
	process.exitCode = exitCode;
}

main(process.argv.slice(2)).then(
	(code) => {
		process.exitCode = code;
		// After a wizard, Ink leaves the terminal's stdin reading: pausing it lets the process end.
		// Only here, at the very end: the second wizard of the demo would hear no keys.
		process.stdin.pause();
	},
	(error: unknown) => {
		if (error instanceof UserError) fail(error.message, error.exitCode, error.details);
		// Ctrl-C at a --plain question: inquirer rejects; nothing has run yet.
		else if (isPromptExit(error)) fail('stopped at the question; nothing was run.', EXIT.interrupted);
		else fail(`unexpected error (a bug; please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, EXIT.failed);
	},
);
