/**
 * Passphrase questions from the SSH layer to the full-screen wizard. Ink owns
 * the terminal while the wizard is up, so a key's passphrase cannot be read
 * the way `--plain` reads it; the SSH layer's `askPassphrase` hook leaves its
 * question here instead, and the wizard draws it as a masked prompt wherever
 * it is (the connection check or a run). One question shows at a time.
 */
export interface PassphraseRequest {
	keyFile: string;
	/** 1 for the first try; more after a wrong passphrase. */
	attempt: number;
}

export interface PassphraseRequests {
	/** The hook for PlanHooks.askPassphrase: resolves with the typed passphrase, or undefined to skip the key. */
	ask(keyFile: string, attempt: number): Promise<string | undefined>;
	/** The question on screen now, if any. */
	current(): PassphraseRequest | undefined;
	/** Called whenever `current()` changes; returns the unsubscribe. */
	subscribe(listener: () => void): () => void;
	/** Answers the question on screen; undefined skips the key. */
	answer(passphrase: string | undefined): void;
	/** Skips every waiting key: the screen that would ask is gone, and a connection must not wait on it forever. */
	skipAll(): void;
}

interface Waiting extends PassphraseRequest {
	settle: (passphrase: string | undefined) => void;
}

export function createPassphraseRequests(): PassphraseRequests {
	const queue: Waiting[] = [];
	const listeners = new Set<() => void>();
	const changed = () => {
		for (const listener of listeners) listener();
	};
	return {
		ask(keyFile, attempt) {
			return new Promise((settle) => {
				queue.push({ keyFile, attempt, settle });
				if (queue.length === 1) changed();
			});
		},
		// The queued object itself, not a copy: useSyncExternalStore compares snapshots by identity.
		current: () => queue[0],
		subscribe(listener) {
			listeners.add(listener);
			return () => void listeners.delete(listener);
		},
		answer(passphrase) {
			const head = queue.shift();
			if (!head) return;
			head.settle(passphrase === '' ? undefined : passphrase);
			changed();
		},
		skipAll() {
			if (queue.length === 0) return;
			for (const waiting of queue.splice(0)) waiting.settle(undefined);
			changed();
		},
	};
}
