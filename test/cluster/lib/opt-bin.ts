/**
 * /opt/bin/deisctl: where Deis installs deisctl on a CoreOS host. /opt/bin is
 * on the login PATH but not on a non-interactive SSH command's, so the tool
 * meets the same "deisctl: command not found" as on a real host. The file is
 * a wrapper around the shim (the shims find their library from their own path,
 * which a symlink would hide), marked so down.ts removes only ours.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OPT_BIN_DEISCTL, shimsDir } from './paths.js';

const MARKER = '# deis-backup test cluster';

function ours(): boolean {
	try {
		return readFileSync(OPT_BIN_DEISCTL, 'utf8').includes(MARKER);
	} catch {
		return false;
	}
}

export function installOptBin(): void {
	if (existsSync(OPT_BIN_DEISCTL) && !ours()) throw new Error(`${OPT_BIN_DEISCTL} exists and is not the test cluster's: not overwriting it`);
	mkdirSync(dirname(OPT_BIN_DEISCTL), { recursive: true, mode: 0o755 });
	writeFileSync(OPT_BIN_DEISCTL, `#!/bin/sh\n${MARKER} (test/cluster/lib/opt-bin.ts); removed by test/cluster/down.ts\nexec '${join(shimsDir, 'opt/bin/deisctl')}' "$@"\n`);
	chmodSync(OPT_BIN_DEISCTL, 0o755);
}

export function removeOptBin(): void {
	if (!ours()) return;
	rmSync(OPT_BIN_DEISCTL);
	// /opt/bin goes too when nothing else lives there (this machine had none before up.ts).
	const dir = dirname(OPT_BIN_DEISCTL);
	if (readdirSync(dir).length === 0) rmdirSync(dir);
}
