/**
 * A key's passphrase typed in the terminal under `--plain`, as ssh asks for it: nothing is
 * echoed, an empty answer skips the key. Without a terminal there is no one
 * to ask, and the SSH layer skips locked keys with a sentence saying so.
 */
import type { PlanHooks } from '../plans/hooks.js';

export function terminalPassphrase(): PlanHooks['askPassphrase'] {
	if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
	return async (keyFile, attempt) => {
		const { password } = await import('@inquirer/prompts');
		const again = attempt > 1 ? 'Wrong passphrase, try again. ' : '';
		try {
			return await password({ message: `${again}Passphrase for ${keyFile} (empty: skip this key)` }, { output: process.stderr });
		} catch {
			// Ctrl-C or a closed terminal: the key is skipped like an empty answer.
			return undefined;
		}
	};
}
