/**
 * Loads the wizard's modules with the global `fetch` hidden. yoga-layout,
 * Ink's layout engine, is an Emscripten build that fetches its own wasm from
 * a `data:` URL whenever a global fetch exists; in Node that loads all of
 * undici (Node's fetch) to decode bytes yoga decodes itself otherwise: ~40 ms
 * of the first wizard frame here. The property is only redefined, never read
 * (reading it would load undici), and is put back as it was once loaded.
 */
export async function withoutFetch<T>(load: () => Promise<T>): Promise<T> {
	const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
	if (!descriptor?.configurable) return load();
	Object.defineProperty(globalThis, 'fetch', { value: undefined, configurable: true, writable: true });
	try {
		return await load();
	} finally {
		Object.defineProperty(globalThis, 'fetch', descriptor);
	}
}
