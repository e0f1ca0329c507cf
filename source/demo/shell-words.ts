/**
 * A small POSIX shell-words parser for the demo host.
 *
 * A real host hands the SSH command string to a shell. The demo has no shell,
 * so it splits words the way sh would and refuses everything a shell would
 * expand or interpret (operators, variables, globs, comments): if the tool ever
 * pastes an unquoted string into a command, the demo fails loudly instead of
 * quietly doing what a shell would have done differently.
 */
export type ParsedCommand = { ok: true; argv: string[] } | { ok: false; reason: string };

const OPERATORS = new Set([';', '|', '&', '$', '`', '>', '<', '(', ')', '\n']);
/** Expansions that only matter at the start of a word. */
const WORD_START_SPECIALS = new Set(['#', '~']);
const GLOB = new Set(['*', '?', '[']);
/** Inside double quotes a backslash escapes only these. */
const DQ_ESCAPABLE = new Set(['$', '`', '"', '\\', '\n']);

export function parseShellWords(input: string): ParsedCommand {
	const argv: string[] = [];
	let word = '';
	let inWord = false;
	let firstWordQuoted = false;
	let quoted = false;
	const fail = (what: string): ParsedCommand => ({ ok: false, reason: what });

	for (let i = 0; i < input.length; i++) {
		const c = input[i]!;
		if (c === ' ' || c === '\t') {
			if (inWord) {
				if (argv.length === 0) firstWordQuoted = quoted;
				argv.push(word);
			}
			word = '';
			inWord = false;
			quoted = false;
			continue;
		}
		if (c === "'") {
			const end = input.indexOf("'", i + 1);
			if (end < 0) return fail('unterminated single quote');
			word += input.slice(i + 1, end);
			inWord = true;
			quoted = true;
			i = end;
			continue;
		}
		if (c === '"') {
			let j = i + 1;
			for (; j < input.length && input[j] !== '"'; j++) {
				const d = input[j]!;
				if (d === '$' || d === '`') return fail(`expansion ${d} inside double quotes`);
				if (d === '\\' && j + 1 < input.length && DQ_ESCAPABLE.has(input[j + 1]!)) {
					j++;
					if (input[j] !== '\n') word += input[j];
					continue;
				}
				word += d;
			}
			if (j >= input.length) return fail('unterminated double quote');
			inWord = true;
			quoted = true;
			i = j;
			continue;
		}
		if (c === '\\') {
			if (i + 1 >= input.length) return fail('trailing backslash');
			i++;
			// backslash-newline is a line continuation: it vanishes
			if (input[i] !== '\n') {
				word += input[i];
				inWord = true;
				quoted = true;
			}
			continue;
		}
		if (OPERATORS.has(c)) return fail(`operator ${JSON.stringify(c)}`);
		if (GLOB.has(c)) return fail(`glob ${c}`);
		if (!inWord && WORD_START_SPECIALS.has(c)) return fail(`${c} at the start of a word`);
		word += c;
		inWord = true;
	}
	if (inWord) {
		if (argv.length === 0) firstWordQuoted = quoted;
		argv.push(word);
	}
	if (argv.length === 0) return fail('empty command');
	// `NAME=value cmd` sets an environment variable in a real shell; the tool never does that.
	if (!firstWordQuoted && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[0]!)) {
		return fail('environment assignment before the command');
	}
	return { ok: true, argv };
}
