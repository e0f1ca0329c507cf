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
	'skip-preflight': { type: 'boolean' },
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
	json: { type: 'boolean' },
	quiet: { type: 'boolean', short: 'q' },
	verbose: { type: 'boolean', short: 'v' },
	help: { type: 'boolean', short: 'h' },
	version: { type: 'boolean', short: 'V' },
} as const satisfies ParseArgsConfig['options'];

export type Flags = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
	return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
}

export const COMMANDS = ['backup', 'restore', 'verify', 'demo', 'help'] as const;

export function parseCommandLine(argv: string[]): { command: string | undefined; positionals: string[]; flags: Flags } {
	try {
		const { values, positionals } = parse(argv);
		const [command, ...rest] = positionals;
		return { command, positionals: rest, flags: values };
	} catch (error) {
		const command = argv.find((word) => (COMMANDS as readonly string[]).includes(word));
		const help = `deis-backup${command && command !== 'help' ? ` ${command}` : ''} --help`;
		const unknown = /Unknown option '([^']+)'/.exec((error as Error).message)?.[1];
		if (unknown !== undefined) {
			const guess = suggestFlag(unknown);
			throw new UserError(`Unknown option ${unknown}${guess ? `; did you mean ${guess}?` : ''} See ${help}.`, 2);
		}
		throw new UserError(`${(error as Error).message.replace(/\.$/, '')}; see ${help}.`, 2);
	}
}

/** The closest long flag to a mistyped one, when it is close enough to be what was meant. */
export function suggestFlag(typed: string): string | undefined {
	const name = typed.replace(/^-+/, '').split('=')[0] ?? '';
	const found = closest(name, Object.keys(OPTIONS));
	return found === undefined ? undefined : `--${found}`;
}

/** The closest command to a mistyped one, when it is close enough. */
export function suggestCommand(typed: string): string | undefined {
	return closest(typed, COMMANDS);
}

function closest(typed: string, candidates: readonly string[]): string | undefined {
	if (typed === '') return undefined;
	// A third of the word may be wrong (at least one letter, at most three): "--hots" finds --host, "--x" finds nothing.
	const allowed = Math.min(3, Math.max(1, Math.floor(typed.length / 3)));
	let best: { name: string; distance: number } | undefined;
	for (const name of candidates) {
		const distance = name.startsWith(typed) && typed.length >= 3 ? 0.5 : levenshtein(typed.toLowerCase(), name);
		if (distance <= allowed && (!best || distance < best.distance)) best = { name, distance };
	}
	return best?.name;
}

/** Edit distance with transpositions counted as one edit (Damerau, restricted): "hots" is one step from "host". */
export function levenshtein(a: string, b: string): number {
	const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
	for (let i = 1; i <= a.length; i++) {
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			const row = rows[i] as number[];
			const above = rows[i - 1] as number[];
			row[j] = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((rows[i - 2] as number[])[j - 2] as number) + 1);
		}
	}
	return (rows[a.length] as number[])[b.length] as number;
}

const ENVIRONMENT = `Environment
  DEIS_BACKUP_HOST, DEIS_BACKUP_PORT, DEIS_BACKUP_USER, DEIS_BACKUP_IDENTITY,
  DEIS_BACKUP_DOMAIN, DEIS_BACKUP_STORE_ENDPOINT, DEIS_BACKUP_SIGNATURE_VERSION
                           defaults for --host, --port, --user, --identity, --domain,
                           --store-endpoint and --signature-version (a flag wins)
  DEIS_BACKUP_IDLE_TIMEOUT_MS
                           how long a silent gateway or host is waited for (default 60000)
  XDG_CONFIG_HOME          where profiles are saved (default ~/.config/deis-backup/profiles.json)
  NO_COLOR, FORCE_COLOR    colours off / on
  CI                       set (and not 0/false): never open the wizard`;

const OUTPUT = `Output
  Results (the summary, verify's verdict, --dry-run's commands) go to stdout,
  progress and warnings to stderr.
  --json                   print one JSON summary on stdout instead (folder, counts, sizes,
                           warnings, exitCode; never a key or a password)
  -q, --quiet              no progress: only the result, warnings and errors
  -v, --verbose            every progress line, and the settings used (never the keys)`;

const EXIT_CODES = `Exit codes
  0 done and checked, 1 failed (the message says what to do), 2 bad usage,
  3 verification found differences, 130 interrupted (the message names the command that resumes).`;

export const HELP = `deis-backup: back up and restore the platform state of a Deis v1 cluster

Usage
  deis-backup                      the guided wizard (in a terminal)
  deis-backup backup  [DIR] [opts] download db_wal and registry, archive the store volume, dump the database
  deis-backup restore DIR [opts]   restore a backup onto a new cluster, in the documented order
  deis-backup verify  DIR...       re-check backup folders against their manifests
  deis-backup settings DIR         the platform settings a backup saved, secrets masked (--json)
  deis-backup demo                 a walkthrough on a built-in demo cluster
  deis-backup COMMAND --help       each command's options and examples

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
  --store-endpoint URL     gateway URL (http:// only) when deis-store.DOMAIN does not resolve from here
  --tunnel                 carry gateway traffic through the SSH connection
  --signature-version 2|4  how S3 requests are signed (DEIS_BACKUP_SIGNATURE_VERSION; default 2:
                           a Deis v1 gateway, Ceph before Jewel, refuses v4; 4 only for one that demands it)
  --vagrant                Deis' Vagrant defaults: 127.0.0.1:2222, core, insecure key, local3.deisapp.com
  --profile NAME           connection settings saved by the wizard

Backup and restore
  -o, --out DIR            backup folder (default ./<domain>-backup-<UTC date>: a re-run the same
                           day resumes or refreshes it)
  --skip-database          no pg_dumpall text dump
  --skip-volume            leave out the store volume (/var/lib/deis/store)
  --skip-platform, --skip-buckets, --skip-controller, --skip-verify
                           restore: leave out a stage
  --skip-settings          leave the platform's etcd settings out (backup: not saved; restore: not applied)
  --skip-preflight         restore: do not re-read the backup against its manifest first
  --buckets A,B            backup: download these buckets instead of db_wal and registry
  --scale-gateways N       backup: scale store-gateway to N (1-16) during the transfer, then back
  --body-size SIZE         restore: raise the router's bodySize to SIZE (8m-5g, default 100m)
  --reset-body-size        restore: put the router's bodySize back when done
  --restart                restore: redo every stage (the cluster was rebuilt since the last run)
  --concurrency N          objects in flight (1-256, default 32)
  --force                  restore: overwrite objects that differ in non-empty buckets
  -n, --dry-run            check everything, print the commands each stage would run; change nothing
  -y, --yes                do not ask for confirmation (required without a terminal)
  --plain                  line output instead of the full-screen wizard
  --keep                   demo: keep the demo's files (they are removed at exit)
  -h, --help, -V, --version

${OUTPUT}

${ENVIRONMENT}

${EXIT_CODES}`;

const CONNECTION_SHORT = `Connection (see deis-backup --help for all)
  --host HOST  -p PORT  -u USER  -i KEY  --known-hosts FILE  --accept-new-host-key
  -d DOMAIN  --store-endpoint http://URL  --tunnel  --signature-version 2|4  --vagrant  --profile NAME`;

const COMMON = `  --json, -q/--quiet, -v/--verbose, --plain, -y/--yes, -n/--dry-run`;

export const COMMAND_HELP: Record<string, string> = {
	backup: `deis-backup backup [DIR] [options]: save db_wal and registry, the store volume and a database dump

Without --out (or DIR) the folder is ./<domain>-backup-<UTC date>. Running the same command
again the same day resumes an unfinished backup there, or downloads only what changed.

${CONNECTION_SHORT}

Backup
  -o, --out DIR            the backup folder (same as DIR)
  --skip-database          no pg_dumpall text dump
  --skip-volume            leave out the store volume
  --buckets A,B            download these buckets instead of db_wal and registry
  --scale-gateways N       scale store-gateway to N (1-16) during the transfer, then back
  --concurrency N          objects in flight (1-256, default 32)
  --skip-settings          do not save the platform's etcd settings
${COMMON}

Examples
  deis-backup backup --vagrant
  deis-backup backup --host 10.0.0.5 --domain example.com --out /srv/backups/today
  deis-backup backup --host 10.0.0.5 --domain example.com --tunnel --json > result.json
  deis-backup backup --profile prod --dry-run

${ENVIRONMENT}

${EXIT_CODES}`,
	restore: `deis-backup restore DIR [options]: restore a backup onto a new cluster, in the documented order

Before anything is written to the cluster, every file of DIR is read against its manifest
(size and sha256); a damaged backup stops with exit 3 and a list of what is wrong.
Running the same command again resumes where it stopped.

${CONNECTION_SHORT}

Restore
  --skip-preflight         do not re-read the backup first (a huge backup already verified)
  --skip-platform, --skip-buckets, --skip-volume, --skip-controller, --skip-verify
                           leave out a stage
  --body-size SIZE         raise the router's bodySize to SIZE (8m-5g, default 100m)
  --reset-body-size        put the router's bodySize back when done
  --force                  overwrite objects that differ in non-empty buckets
  --restart                redo every stage (the cluster was rebuilt since the last run)
  --concurrency N          objects in flight (1-256, default 32)
  --skip-settings          do not re-apply the platform's etcd settings
${COMMON}

Examples
  deis-backup restore ./example.com-backup-2026-11-25 --host new-1 --domain example.com --yes
  deis-backup restore ./backup --host new-1 --domain example.com --dry-run
  deis-backup restore ./backup --vagrant --body-size 1g --reset-body-size --yes

${ENVIRONMENT}

${EXIT_CODES}`,
	verify: `deis-backup verify DIR...: re-read every file of each backup folder against its manifest

Each folder gets its verdict on stdout; the exit code is the worst of them
(3 when a file is missing or differs, 1 when a folder is not a finished backup).

Options
  --json                   one JSON summary of every folder
  -q, --quiet              only the verdicts

Examples
  deis-backup verify ./example.com-backup-2026-11-25
  deis-backup verify /srv/backups/* --json

${EXIT_CODES}`,
	settings: `deis-backup settings DIR: the platform settings a backup saved from etcd /deis

Secrets (the deis run key, TLS keys, LDAP and registry credentials) show as their
key name with a masked marker, never their value.

Options
  --json                   the same as JSON, secrets masked

Examples
  deis-backup settings ./example.com-backup-2026-11-25
  deis-backup settings ./backup --json

${EXIT_CODES}`,
	demo: `deis-backup demo: back up a built-in simulated cluster and restore it into a fresh one

Both clusters run inside this process; their files live in a temporary folder
that is removed at exit, also when interrupted.

Options
  --keep                   keep the temporary folder and print where it is
  --plain, -y/--yes        line output and no questions
  --concurrency N          objects in flight

Examples
  deis-backup demo
  deis-backup demo --plain --yes --keep

${EXIT_CODES}`,
};

/** The help for a command (or the global help), for --help after a command and for `help COMMAND`. */
export function helpFor(command: string | undefined): string {
	return (command && COMMAND_HELP[command]) ?? HELP;
}
