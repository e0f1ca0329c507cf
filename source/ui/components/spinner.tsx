import { Text } from 'ink';
import { useEffect, useState } from 'react';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A braille spinner; each instance owns its timer, cleared on unmount. */
export function Spinner({ color = 'cyan', intervalMs = 80 }: { color?: string; intervalMs?: number }) {
	const [frame, setFrame] = useState(0);
	useEffect(() => {
		const timer = setInterval(() => setFrame((f) => (f + 1) % FRAMES.length), intervalMs);
		return () => clearInterval(timer);
	}, [intervalMs]);
	return <Text color={color}>{FRAMES[frame]}</Text>;
}
