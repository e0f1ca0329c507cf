/**
 * Every command deis-backup runs on a cluster host, as an argument array.
 *
 * This file is the contract between the tool and the hosts it talks to: the
 * real CoreOS tools, the test cluster's shims (test/cluster/shims) and the
 * built-in demo cluster (source/demo) all answer exactly these commands.
 * The strings are the procedure's own commands ("Backing Up and Restoring Data"),
 * so --dry-run can show an operator what would be typed by hand.
 */
import { STORE_PATH } from '../deis.js';

export const commands = {
	/**
	 * Prints each value on a line of its own and exits 0; exits non-zero, printing nothing, when a
	 * key is unset. deisctl v1 takes several keys (`config <target> get [<key>...]`): one command,
	 * one round trip to the host, for values read together.
	 */
	configGet: (component: string, ...keys: string[]) => ['deisctl', 'config', component, 'get', ...keys],
	configSet: (component: string, key: string, value: string) => ['deisctl', 'config', component, 'set', `${key}=${value}`],
	/** fleet's table: UNIT MACHINE LOAD ACTIVE SUB, MACHINE as `<id>.../<ip>`. */
	list: () => ['deisctl', 'list'],
	install: (target: string) => ['deisctl', 'install', target],
	start: (unit: string) => ['deisctl', 'start', unit],
	stop: (unit: string) => ['deisctl', 'stop', unit],
	scale: (component: string, count: number) => ['deisctl', 'scale', `${component}=${count}`],
	/** The host's own addresses, to tell whether a unit's MACHINE is the host we are on. */
	hostAddresses: () => ['hostname', '-I'],
	/** Streams a gzip tarball of the store volume to stdout; exit 1 + "file changed as we read it" is a live-cluster warning. */
	tarStore: () => ['sudo', 'tar', '-C', STORE_PATH, '-cpzf', '-', '.'],
	/** Reads a gzip tarball from stdin into the store volume, keeping owners. */
	untarStore: () => ['sudo', 'tar', '-C', STORE_PATH, '-xzpf', '-', '--same-owner'],
	/** Lists the store volume's regular files with their sizes, to verify a restore: `<size> <path>` per line. */
	listStore: () => ['sudo', 'find', STORE_PATH, '-type', 'f', '-printf', '%s %P\\n'],
	/** The whole database as SQL on stdout. */
	pgDumpAll: () => ['docker', 'exec', 'deis-database', 'sudo', '-u', 'postgres', 'pg_dumpall'],
	/**
	 * Exit 0 when the controller has the later-v1 command that re-publishes its models.
	 * The controller commands carry ETCD inside the container's command (`env ETCD=…`):
	 * an exec'd process does not inherit the one the controller's boot script exports,
	 * and Docker before 1.13 (every Deis v1 host) has no `docker exec -e`.
	 */
	hasLoadDbState: (etcd: string) => ['docker', 'exec', 'deis-controller', 'env', `ETCD=${etcd}`, '/app/manage.py', 'help', 'load_db_state_to_etcd'],
	loadDbState: (etcd: string) => ['docker', 'exec', 'deis-controller', 'env', `ETCD=${etcd}`, '/app/manage.py', 'load_db_state_to_etcd'],
	/** The procedure's `manage.py shell` re-save; the script (RESAVE_SCRIPT) goes on stdin. */
	resaveModels: (etcd: string) => ['docker', 'exec', '-i', 'deis-controller', 'env', `ETCD=${etcd}`, '/app/manage.py', 'shell'],
	/** Lists etcd keys below a directory (recursive), one per line, to verify the controller's re-save. */
	etcdList: (dir: string) => ['etcdctl', 'ls', '--recursive', dir],
	/** Every key below a directory with its value, as etcd v2's JSON: one read of the platform's settings. */
	etcdTree: (dir: string) => ['etcdctl', '-o', 'json', 'ls', '--recursive', dir],
	/**
	 * Writes one key with its value on stdin, byte for byte (etcdctl v2 reads stdin when the value
	 * argument is absent): a PEM value starts with `-` and would be taken for a flag as an argument.
	 */
	etcdSet: (key: string) => ['etcdctl', 'set', key],
	/** stdin cannot carry an empty value ("no value given"); an empty argument is no flag. */
	etcdSetEmpty: (key: string) => ['etcdctl', 'set', key, ''],
	/** `DEIS_RELEASE=v1.13.4`, written when the host was provisioned: the release when /deis/platform/version is unset. */
	deisRelease: () => ['cat', '/etc/deis-release'],
} as const;

/** The procedure's re-save script, fed verbatim to `manage.py shell`. */
export const RESAVE_SCRIPT = [
	'from api.models import *',
	'[k.save() for k in Key.objects.all()]',
	'[a.save() for a in App.objects.all()]',
	'[d.save() for d in Domain.objects.all()]',
	'[c.save() for c in Certificate.objects.all()]',
	'[c.save() for c in Config.objects.all()]',
	'',
].join('\n');
