/**
 * Command-line flags, parsed with node:util: no dependency for what the
 * platform already does well.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../errors.js';

export const OPTIONS = {
	host: { type: 'string' },
	port: { type: 'string', short: 'p' },
	user: { type: 'string', short: 'u' },
	identity: { type: 'string', short: 'i' },
	'known-hosts': { type: 'string' },
	'accept-new-host-key': { type: 'boolean' },
	'insecure-key-permissions': { type: 'boolean' },
	'ssh-config': { type: 'string', short: 'F' },
	domain: { type: 'string', short: 'd' },
	'store-endpoint': { type: 'string' },
	tunnel: { type: 'boolean' },
	'signature-version': { type: 'string' },
	vagrant: { type: 'boolean' },
	profile: { type: 'string' },
	out: { type: 'string', short: 'o' },
	'skip-database': { type: 'boolean' },
	'skip-volume': { type: 'boolean' },
	'skip-buckets': { type: 'boolean' },
	'skip-platform': { type: 'boolean' },
	'skip-controller': { type: 'boolean' },
	'skip-verify': { type: 'boolean' },
	'skip-settings': { type: 'boolean' },
	json: { type: 'boolean' },
	buckets: { type: 'string' },
	'scale-gateways': { type: 'string' },
	'body-size': { type: 'string' },
	'reset-body-size': { type: 'boolean' },
	restart: { type: 'boolean' },
	concurrency: { type: 'string' },
	yes: { type: 'boolean', short: 'y' },
	force: { type: 'boolean' },
	'dry-run': { type: 'boolean', short: 'n' },
	plain: { type: 'boolean' },
	keep: { type: 'boolean' },
	help: { type: 'boolean', short: 'h' },
	version: { type: 'boolean', short: 'V' },
} as const satisfies ParseArgsConfig['options'];

export type Flags = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
	return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
}

export function parseCommandLine(argv: string[]): { command: string | undefined; positionals: string[]; flags: Flags } {
	try {
		const { values, positionals } = parse(argv);
		const [command, ...rest] = positionals;
		return { command, positionals: rest, flags: values };
	} catch (error) {
		throw new UserError(`${(error as Error).message.replace(/\.$/, '')}; see deis-backup --help.`, 2);
	}
}

export const HELP = `deis-backup: back up and restore the platform state of a Deis v1 cluster

Usage
  deis-backup                      the guided wizard (in a terminal)
  deis-backup backup  [options]    mirror db_wal and registry, archive the store volume, dump the database
  deis-backup restore DIR [opts]   restore a backup onto a new cluster, in the documented order
  deis-backup verify  DIR          re-check a backup folder against its manifest
  deis-backup settings DIR         the platform settings a backup saved, secrets masked (--json)
  deis-backup demo                 a walkthrough on a built-in demo cluster

Connection
  --host HOST[:PORT]       a CoreOS machine of the cluster, or an ssh_config alias (DEIS_BACKUP_HOST;
                           default: DEISCTL_TUNNEL, host or host:port, as deisctl uses it)
  -p, --port N             SSH port (default: the ssh config's Port, else 22; Vagrant 2222)
  -u, --user NAME          SSH user (default: the ssh config's User, else core)
  -i, --identity FILE      SSH private key, tried after the agent's keys and before the ssh config's
                           IdentityFile lines (when none is named: ~/.ssh/id_ed25519, id_ecdsa, id_rsa)
  -F, --ssh-config FILE    ssh client config to read (default ~/.ssh/config, then /etc/ssh/ssh_config):
                           HostName, Port, User, IdentityFile, IdentitiesOnly, ProxyJump,
                           UserKnownHostsFile, StrictHostKeyChecking, ConnectTimeout
  --known-hosts FILE       host keys to trust (default: the ssh config's UserKnownHostsFile, else ~/.ssh/known_hosts)
  --accept-new-host-key    trust and record an unknown host key (a changed one always stops)
  --insecure-key-permissions
                           use a private key that others can read (refused otherwise, as ssh does)
  -d, --domain DOMAIN      cluster domain; the gateway is deis-store.DOMAIN (DEIS_BACKUP_DOMAIN)
  --store-endpoint URL     gateway URL when deis-store.DOMAIN does not resolve from here
  --tunnel                 carry gateway traffic through the SSH connection
  --signature-version 2|4  how S3 requests are signed (DEIS_BACKUP_SIGNATURE_VERSION; default 2:
                           a Deis v1 gateway, Ceph before Jewel, refuses v4; 4 only for one that demands it)
  --vagrant                Deis' Vagrant defaults: 127.0.0.1:2222, core, insecure key, local3.deisapp.com
  --profile NAME           connection settings saved by the wizard

Backup and restore
  -o, --out DIR            backup folder (default ./<domain>-<UTC time>)
  --skip-database          no pg_dumpall text dump
  --skip-volume            leave out the store volume (/var/lib/deis/store)
  --skip-platform, --skip-buckets, --skip-controller, --skip-verify
                           restore: leave out a stage
  --skip-settings          leave the platform's etcd settings out (backup: not saved; restore: not applied)
  --buckets A,B            backup: mirror these buckets instead of db_wal and registry
  --scale-gateways N       scale store-gateway to N during the transfer, then back
  --body-size SIZE         restore: raise the router's bodySize to SIZE (default 100m)
  --reset-body-size        restore: put the router's bodySize back when done
  --restart                restore: redo every stage (the cluster was rebuilt since the last run)
  --concurrency N          objects in flight (default 32)
  --force                  restore: overwrite objects that differ in non-empty buckets
  -n, --dry-run            print the equivalent commands, in order; change nothing
  -y, --yes                do not ask for confirmation (required without a terminal)
  --plain                  line output instead of the full-screen wizard
  -h, --help, -V, --version

Exit codes: 0 done and checked, 1 failed (the message says what to do), 2 bad usage,
3 verification found differences, 130 interrupted (run the same command again to resume).
Colours follow NO_COLOR and FORCE_COLOR.`;
