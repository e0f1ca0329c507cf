/**
 * Which release a backup came from and which the new cluster runs, in words
 * an operator reads before anything is written.
 */

/** v1.12.2 → [1, 12, 2]; undefined for anything that is not a release number (a branch, `latest`). */
export function parseVersion(text: string): number[] | undefined {
	const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
	if (!match) return undefined;
	return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

export function compareVersions(a: string, b: string): number | undefined {
	const left = parseVersion(a);
	const right = parseVersion(b);
	if (!left || !right) return undefined;
	for (let i = 0; i < 3; i++) {
		const difference = (left[i] ?? 0) - (right[i] ?? 0);
		if (difference !== 0) return Math.sign(difference);
	}
	return 0;
}

export interface UpgradeNote {
	message: string;
	/** Set when the new cluster runs an older release than the backup's. */
	warning?: string;
}

export function describeUpgrade(from: string | undefined, to: string | undefined): UpgradeNote {
	const source = from ? `backup of ${from}` : 'backup of an unknown release';
	if (!to) return { message: `${source} → restoring into a cluster of unknown release (no /deis/platform/version, no /etc/deis-release)` };
	const order = from ? compareVersions(to, from) : undefined;
	if (order === undefined) return { message: `${source} → restoring into ${to}` };
	if (order > 0) return { message: `${source} → restoring into ${to}, a migration upgrade` };
	if (order === 0) return { message: `${source} → restoring into ${to}, the same release` };
	return {
		message: `${source} → restoring into ${to}, an older release`,
		warning: `the new cluster runs ${to}, older than the backup's ${from}: its settings and data may not work there; install ${from} or later on the new cluster first`,
	};
}
