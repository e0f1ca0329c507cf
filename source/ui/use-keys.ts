/**
 * `useInput` that is safe without a TTY: Ink throws "Raw mode is not
 * supported" when stdin is piped, so input is only captured when it can be.
 */
import { useInput, useStdin } from 'ink';
import type { Key } from 'ink';

export type KeyHandler = (input: string, key: Key) => void;

/** Returns whether key presses can reach the handler at all. */
export function useKeys(handler: KeyHandler, isActive = true): boolean {
	const { isRawModeSupported } = useStdin();
	useInput(handler, { isActive: isActive && isRawModeSupported });
	return isRawModeSupported;
}

/** Ctrl-C arrives as input in raw mode; prompts must not treat it as text. */
export function isCtrlC(input: string, key: Key): boolean {
	return key.ctrl && input === 'c';
}
