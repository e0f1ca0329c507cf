/**
 * .cluster/sim.env: the settings the bash shims source (ports, paths), written
 * from the same constants the harness uses so there is one source of truth.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ETCD_URL } from './etcd.js';
import { LOOPBACK, paths, ports } from './paths.js';
import { pgBinDir, pgDataDir } from './postgres.js';

export const router = {
	conf: join(paths.router, 'nginx.conf'),
	errorLog: join(paths.logs, 'router-error.log'),
	accessLog: join(paths.logs, 'router-access.log'),
} as const;

const shellQuote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

export function writeSimEnv(): void {
	const vars: Record<string, string> = {
		LOOPBACK,
		// The simulated host's own address, as fleet shows it in MACHINE.
		HOST_IP: LOOPBACK,
		ETCD_ENDPOINT: ETCD_URL,
		PG_BIN: pgBinDir(),
		PG_PORT: String(ports.postgres),
		PG_SOCKET_DIR: pgDataDir,
		ROUTER_DIR: paths.router,
		ROUTER_CONF: router.conf,
		ROUTER_ERROR_LOG: router.errorLog,
		ROUTER_ACCESS_LOG: router.accessLog,
		ROUTER_PORT: String(ports.router),
		GATEWAY_GENERATION_FILE: paths.gatewayGeneration,
		GATEWAY_ADDR: `${LOOPBACK}:${ports.gateway}`,
		UNITS_FILE: paths.units,
		DEISCTL_LOG: paths.deisctlLog,
		DOCKER_LOG: paths.dockerLog,
	};
	const lines = Object.entries(vars).map(([name, value]) => `${name}=${shellQuote(value)}`);
	writeFileSync(paths.simEnv, `# Written by test/cluster/up.ts; sourced by test/cluster/shims/lib/common.sh.\n${lines.join('\n')}\n`);
}
