/**
 * POSIX shell quoting for remote commands.
 *
 * SSH hands the remote side a single string that a shell parses, so every
 * argument we send is single-quoted here; user input never reaches the remote
 * shell unquoted. Plain words stay unquoted so logs and --dry-run read naturally.
 */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function quoteArg(arg: string): string {
	if (arg.length > 0 && SAFE_WORD.test(arg)) return arg;
	return `'${arg.replaceAll("'", `'\\''`)}'`;
}

export function quoteCommand(argv: readonly string[]): string {
	if (argv.length === 0) throw new Error('empty command');
	return argv.map(quoteArg).join(' ');
}
