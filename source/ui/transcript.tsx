/**
 * Ink's own pattern for long sessions: what is finished (answered questions,
 * the preview, finished tasks, summaries) is printed once through <Static>
 * and scrolls away like ordinary terminal output, and only what still changes
 * stays in the live frame. ink 6.8 clears the whole screen *and the
 * scrollback* (ESC[3J) whenever a live frame is as tall as the terminal
 * (vadimdemedes/ink#935, #990), so the live frame must stay short.
 */
import { Box, Static, useStdout } from 'ink';
import type { ReactElement, ReactNode } from 'react';
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';

type Print = (node: ReactElement) => void;

const PrintContext = createContext<Print | undefined>(undefined);

interface Entry {
	id: number;
	node: ReactElement;
}

/** Holds the printed lines above its children, which form the live frame. */
export function Transcript({ children }: { children: ReactNode }) {
	const [entries, setEntries] = useState<Entry[]>([]);
	const next = useRef(0);
	const { columns } = useTerminalSize();
	const print = useCallback<Print>((node) => {
		const id = next.current++;
		setEntries((before) => [...before, { id, node }]);
	}, []);
	return (
		<PrintContext.Provider value={print}>
			{/* <Static> is laid out apart from the frame, as wide as its content: without a width its text would not wrap at the terminal's edge. */}
			<Static items={entries} style={{ width: columns }}>
				{(entry) => (
					<Box key={entry.id} flexDirection="column">
						{entry.node}
					</Box>
				)}
			</Static>
			{children}
		</PrintContext.Provider>
	);
}

/** Appends to the transcript; call it from effects and handlers, never while rendering. */
export function usePrint(): Print {
	const print = useContext(PrintContext);
	if (!print) throw new Error('usePrint() outside <Transcript>');
	return print;
}

/** Moves its children into the transcript when it mounts; outside one (a screen on its own) they are simply shown. */
export function Printed({ children }: { children: ReactElement }) {
	const print = useContext(PrintContext);
	useEffect(() => print?.(children), []);
	return print ? null : children;
}

/** The terminal's size, following resizes; rows is undefined when the output is no terminal. */
export function useTerminalSize(): { columns: number; rows: number | undefined } {
	const { stdout } = useStdout();
	const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || undefined });
	const [size, setSize] = useState(read);
	useEffect(() => {
		const onResize = () => setSize(read());
		stdout.on('resize', onResize);
		return () => void stdout.off('resize', onResize);
	}, [stdout]);
	return size;
}

/**
 * Lines the live frame may use: Ink clears the scrollback once a frame is as
 * tall as the terminal, and the cursor sits on the line after the frame.
 */
export function liveLineBudget(rows: number | undefined): number {
	return rows === undefined ? Number.POSITIVE_INFINITY : Math.max(3, rows - 2);
}
