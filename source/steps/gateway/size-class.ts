/**
 * How an object travels, by size, in both directions: small ones whole in
 * memory, larger ones streamed, and (uploading) the largest in parts. One rule,
 * so that the pools that schedule objects and the code that moves them agree.
 */

/** Objects up to this size are held in memory between the gateway and the disk. */
export const IN_MEMORY_BYTES = 1024 * 1024;

export type SizeClass = 'small' | 'streamed' | 'parts';

/** Without a part size (downloading), nothing goes in parts. */
export function sizeClass(size: number, partSize = Number.POSITIVE_INFINITY): SizeClass {
	if (size <= IN_MEMORY_BYTES) return 'small';
	return size <= partSize ? 'streamed' : 'parts';
}

export function bySizeClass<T extends { size: number }>(items: readonly T[], partSize?: number): Record<SizeClass, T[]> {
	const classes: Record<SizeClass, T[]> = { small: [], streamed: [], parts: [] };
	for (const item of items) classes[sizeClass(item.size, partSize)].push(item);
	return classes;
}
