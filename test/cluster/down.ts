/**
 * Stops the simulated cluster (gateway, OSD, monitor in that order; the rest
 * after) and removes its /etc/hosts line, /opt/bin/deisctl wrapper and sudoers
 * drop-in. Idempotent.
 * .cluster/ stays for its logs; the next up.ts wipes it.
 *   npx tsx test/cluster/down.ts
 */
import { stopCluster } from './lib/teardown.js';

const started = Date.now();
await stopCluster();
console.log(`test cluster down in ${((Date.now() - started) / 1000).toFixed(1)} s`);
