import { useSyncExternalStore } from 'react';
import type { PassphraseRequests } from '../passphrase-requests.js';
import { isCtrlC, useKeys } from '../use-keys.js';
import { TextPrompt } from './text-prompt.js';

/**
 * The SSH layer's question for a key's passphrase, while the wizard owns the
 * terminal: masked as typed, and never printed to the transcript. Enter on an
 * empty field, Escape or Ctrl-C skip the key, as an empty answer does for ssh.
 */
export function PassphrasePrompt({ requests }: { requests: PassphraseRequests }) {
	const request = useSyncExternalStore(requests.subscribe, requests.current);
	useKeys((input, key) => {
		if (isCtrlC(input, key)) requests.answer(undefined);
	}, request !== undefined);
	if (!request) return null;
	return (
		<TextPrompt
			key={`${request.keyFile}:${request.attempt}`}
			label={`Passphrase for ${request.keyFile}`}
			hint="Enter on an empty field skips this key."
			mask="•"
			trim={false}
			{...(request.attempt > 1 ? { initialError: 'Wrong passphrase, try again.' } : {})}
			onSubmit={(passphrase) => requests.answer(passphrase)}
			onCancel={() => requests.answer(undefined)}
		/>
	);
}
