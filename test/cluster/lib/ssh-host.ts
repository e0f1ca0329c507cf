/**
 * The cluster host as deis-backup sees it: OpenSSH on 127.0.0.1:2222, user
 * `core` with passwordless sudo, the docker shim first on PATH, deisctl in
 * /opt/bin (opt-bin.ts) and the store at /var/lib/deis/store (store-path.ts) -
 * like a CoreOS machine of Deis' Vagrant cluster.
 */
import { chownSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { clusterDir, HOST_USER, LOOPBACK, OPT_BIN_DEISCTL, paths, ports, shimsDir, sshFiles, SUDOERS_FILE } from './paths.js';
import { logFile, run, signalChildren, startDaemon, stopDaemon, waitFor } from './proc.js';
import { findUser } from './users.js';

/** A non-interactive SSH command's PATH: no /opt/bin, so no bare `deisctl`, as on CoreOS. */
const REMOTE_PATH = `${join(shimsDir, 'bin')}:/usr/local/bin:/usr/bin:/bin`;
/** Variables every remote command gets (sshd SetEnv). */
const remoteEnv = { PATH: REMOTE_PATH, DEIS_SIM_DIR: clusterDir, ETCDCTL_API: '2' };
/** A login shell's: CoreOS puts /opt/bin (deisctl) on it, and /etc/profile.d gives it `nse`. */
const loginEnv = { ...remoteEnv, PATH: `${REMOTE_PATH}:${dirname(OPT_BIN_DEISCTL)}` };
const NSE_FUNCTION = join(shimsDir, 'profile.d/nse-function.sh');

async function ensureHostUser(): Promise<void> {
	const user = findUser(HOST_USER);
	if (!user) {
		// Password field '*': no password login, but not locked ('!' would block key logins with UsePAM no).
		await run('useradd', ['--create-home', '--home-dir', `/home/${HOST_USER}`, '--shell', '/bin/bash', '--password', '*', HOST_USER]);
		return;
	}
	const shadow = readFileSync('/etc/shadow', 'utf8').split('\n').find((l) => l.startsWith(`${HOST_USER}:`));
	if (shadow?.split(':')[1]?.startsWith('!')) await run('usermod', ['--password', '*', HOST_USER]);
}

const PROFILE_BEGIN = '# >>> deis-backup test cluster >>>';
const PROFILE_END = '# <<< deis-backup test cluster <<<';

/**
 * Login shells reset PATH in /etc/profile, so core's ~/.bash_profile sets the
 * login PATH, and sources the nse function as CoreOS' /etc/profile.d does.
 */
function writeProfile(): void {
	const user = findUser(HOST_USER);
	if (!user) throw new Error(`user ${HOST_USER} missing`);
	const file = join(user.home, '.bash_profile');
	const old = existsSync(file) ? readFileSync(file, 'utf8') : '[ -f ~/.bashrc ] && . ~/.bashrc\n';
	const kept = old.replace(new RegExp(`\\n?${PROFILE_BEGIN}[\\s\\S]*?${PROFILE_END}\\n?`), '\n').trimEnd();
	const block = [...Object.entries(loginEnv).map(([k, v]) => `export ${k}='${v}'`), `. '${NSE_FUNCTION}'`];
	writeFileSync(file, `${kept}\n${PROFILE_BEGIN}\n${block.join('\n')}\n${PROFILE_END}\n`);
	chownSync(file, user.uid, user.gid);
}

async function writeSudoers(): Promise<void> {
	const content = [
		'# deis-backup test cluster (test/cluster/lib/ssh-host.ts); removed by test/cluster/down.ts',
		`Defaults:${HOST_USER} secure_path="${join(shimsDir, 'bin')}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"`,
		`Defaults:${HOST_USER} !requiretty, !use_pty, !lecture`,
		`${HOST_USER} ALL=(ALL) NOPASSWD: ALL`,
		'',
	].join('\n');
	const tmp = join(paths.ssh, 'sudoers.tmp');
	writeFileSync(tmp, content, { mode: 0o440 });
	await run('visudo', ['-c', '-q', '-f', tmp]);
	mkdirSync(dirname(SUDOERS_FILE), { recursive: true });
	renameSync(tmp, SUDOERS_FILE);
}

async function generateKeys(): Promise<void> {
	// Like Vagrant's insecure key: a throwaway client key the tests hand to ssh.
	await Promise.all([
		run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'deis-backup test cluster', '-f', sshFiles.identity]),
		run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'deis-backup test host', '-f', sshFiles.hostKey]),
	]);
	const [type, key] = readFileSync(`${sshFiles.hostKey}.pub`, 'utf8').split(' ');
	writeFileSync(sshFiles.knownHosts, `[${LOOPBACK}]:${ports.ssh} ${type} ${key}\n`);
}

function writeSshdConfig(): void {
	const setEnv = Object.entries(remoteEnv).map(([k, v]) => `${k}=${v}`).join(' ');
	writeFileSync(
		sshFiles.config,
		[
			`Port ${ports.ssh}`,
			`ListenAddress ${LOOPBACK}`,
			`HostKey ${sshFiles.hostKey}`,
			`PidFile ${join(paths.ssh, 'sshd.pid')}`,
			`AuthorizedKeysFile ${sshFiles.identity}.pub`,
			'UsePAM no',
			// The key lives under the repo, not in ~core/.ssh with its strict modes.
			'StrictModes no',
			'PubkeyAuthentication yes',
			'PasswordAuthentication no',
			'KbdInteractiveAuthentication no',
			'PermitRootLogin no',
			`AllowUsers ${HOST_USER}`,
			'UseDNS no',
			'PrintMotd no',
			// deis-backup and the tests open many sessions in parallel.
			'MaxSessions 64',
			'MaxStartups 64:30:128',
			'Subsystem sftp internal-sftp',
			`SetEnv ${setEnv}`,
			'',
		].join('\n'),
	);
}

/** True once an SSH server greets on host:port. */
export function sshBanner(host: string = LOOPBACK, port: number = ports.ssh): Promise<boolean> {
	return new Promise((resolvePromise) => {
		const socket = connect({ host, port });
		socket.setTimeout(2000, () => socket.destroy());
		socket.once('data', (data) => {
			socket.destroy();
			resolvePromise(data.toString().startsWith('SSH-2.0'));
		});
		socket.once('error', () => resolvePromise(false));
		socket.once('close', () => resolvePromise(false));
	});
}

export async function startSshHost(): Promise<void> {
	mkdirSync(paths.ssh, { recursive: true, mode: 0o755 });
	mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
	await Promise.all([ensureHostUser(), generateKeys()]);
	writeProfile();
	await writeSudoers();
	writeSshdConfig();
	await run('/usr/sbin/sshd', ['-t', '-f', sshFiles.config]);
	startDaemon('sshd', ['/usr/sbin/sshd', '-D', '-e', '-f', sshFiles.config]);
	await waitFor('sshd', () => sshBanner(), 10000, logFile('sshd'));
}

/** Open sessions (the tests' shared connections too) end with the listener. */
export async function stopSshHost(): Promise<void> {
	signalChildren('sshd', 'SIGTERM');
	await stopDaemon('sshd');
}

/** Undo the system-wide change (the sudoers drop-in); the core user stays. */
export function removeSudoers(): void {
	if (existsSync(SUDOERS_FILE) && readFileSync(SUDOERS_FILE, 'utf8').includes('deis-backup test cluster')) rmSync(SUDOERS_FILE);
}
