/**
 * The keys one SSH connection offers, in OpenSSH's order: the agent's keys,
 * then the identity files (--identity first, then ssh_config's IdentityFile
 * lines), and when no file is named, ~/.ssh/id_ed25519, id_ecdsa and id_rsa.
 * Key files are held to OpenSSH's rules: one that others can read is refused,
 * one with a passphrase is unlocked only when a terminal can ask for it.
 * Passphrases and unlocked keys stay in this process's memory.
 */
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { BaseAgent, ParsedKey } from 'ssh2';
import { ssh2 } from './ssh-library.js';
import { VAGRANT_DEFAULTS } from '../settings.js';
import { UserError } from '../errors.js';

export const DEFAULT_KEY_NAMES = ['id_ed25519', 'id_ecdsa', 'id_rsa'] as const;

/** Where a key file was named: decides whether its absence is an error, a warning or nothing. */
export type KeySource = 'flag' | 'config' | 'default';

export interface KeyFileRequest {
	path: string;
	source: KeySource;
}

export interface KeyOptions {
	files: readonly KeyFileRequest[];
	/** ssh_config's IdentitiesOnly: agent keys only when they are one of the files. */
	identitiesOnly: boolean;
	/** --insecure-key-permissions: use a key file others can read, with a warning. */
	insecurePermissions: boolean;
	agentSocket?: string;
}

/** A file key held until the server asks for keys: a locked one is unlocked only then. */
export interface FileKey {
	path: string;
	/** The key in SSH wire form, when it can be known without the passphrase. */
	publicKey?: Buffer;
	/** Undefined while locked. */
	key?: ParsedKey;
	text: string;
}

export interface KeyPlan {
	/** The agent's chosen keys behind ssh2's agent interface; undefined without an agent or keys. */
	agent?: BaseAgent;
	agentKeys: number;
	files: FileKey[];
	/** Warnings to show however the connection ends (a loose key used anyway, a named key missing). */
	notices: string[];
	/** Why keys were left out; said when no key was accepted. */
	skipped: string[];
}

/** Keys unlocked in this run, by path: the wizard's check and the run that follows ask once. */
const unlocked = new Map<string, ParsedKey>();

export function defaultKeyFiles(home = homedir()): KeyFileRequest[] {
	return DEFAULT_KEY_NAMES.map((name) => ({ path: join(home, '.ssh', name), source: 'default' }));
}

/** Vagrant ships its well-known key world-readable; warning about it is enough. */
export function isVagrantInsecureKey(path: string, home = homedir()): boolean {
	return path === join(home, VAGRANT_DEFAULTS.identityFromHome) || path.startsWith(join(home, '.vagrant.d', 'insecure_private_keys') + '/');
}

export async function planKeys(options: KeyOptions): Promise<KeyPlan> {
	const plan: PlanInProgress = { agentKeys: 0, files: [], notices: [], skipped: [] };
	for (const request of options.files) {
		const file = await readKeyFile(request, options, plan);
		if (file) plan.files.push(file);
	}
	if (options.agentSocket) await addAgent(options.agentSocket, options.identitiesOnly, plan);
	// A file the agent already holds is tried as the agent's key: no passphrase to ask for.
	const agentHeld = new Set(plan.agentPublicKeys?.map((key) => key.toString('base64')));
	plan.files = plan.files.filter((file) => !(file.publicKey && agentHeld.has(file.publicKey.toString('base64'))));
	delete plan.agentPublicKeys;
	return plan;
}

interface PlanInProgress extends KeyPlan {
	agentPublicKeys?: Buffer[];
}

async function readKeyFile(request: KeyFileRequest, options: KeyOptions, plan: PlanInProgress): Promise<FileKey | undefined> {
	const { path, source } = request;
	let info;
	try {
		info = await stat(path);
	} catch {
		if (source === 'flag') throw unreadableFlagKey(path);
		if (source === 'config') plan.notices.push(`IdentityFile ${path} from the ssh config does not exist; it was skipped.`);
		return undefined;
	}
	if (!info.isFile()) {
		if (source === 'flag') throw unreadableFlagKey(path);
		plan.notices.push(`${path} is not a file; it was skipped.`);
		return undefined;
	}
	// OpenSSH's sshkey_perm_ok: a key of ours that group or others can read is ignored.
	const loose = info.mode & 0o077;
	if (loose && info.uid === process.getuid?.()) {
		const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
		if (isVagrantInsecureKey(path)) {
			plan.notices.push(`${path} is readable by others (mode ${mode}); used anyway as Vagrant's well-known insecure key (chmod 600 it to silence this).`);
		} else if (options.insecurePermissions) {
			plan.notices.push(`${path} is readable by others (mode ${mode}); used anyway because of --insecure-key-permissions.`);
		} else {
			plan.skipped.push(
				`Permissions ${mode} for '${path}' are too open: a private key must not be accessible by others, so it was ignored (as ssh does); run chmod 600 '${path}', or pass --insecure-key-permissions.`,
			);
			return undefined;
		}
	}
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (error) {
		if (source === 'flag') throw unreadableFlagKey(path);
		plan.notices.push(`Cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}); it was skipped.`);
		return undefined;
	}
	const cached = unlocked.get(path);
	if (cached) return { path, text, key: cached, publicKey: cached.getPublicSSH() };
	if (isEncrypted(text)) return { path, text, publicKey: (await publicKeyBeside(path)) ?? openSshPublicKey(text) };
	const parsed = ssh2().utils.parseKey(text);
	const key = Array.isArray(parsed) ? parsed[0] : parsed;
	if (!key || key instanceof Error || !key.isPrivateKey()) {
		plan.skipped.push(`The SSH key ${path} could not be read as a private key${source === 'flag' ? '; check --identity' : ''}.`);
		return undefined;
	}
	return { path, text, key, publicKey: key.getPublicSSH() };
}

function unreadableFlagKey(path: string): UserError {
	return new UserError(`Cannot read the SSH key ${path}; check the path given with --identity.`);
}

async function addAgent(socket: string, identitiesOnly: boolean, plan: PlanInProgress): Promise<void> {
	const real = ssh2().createAgent(socket);
	let keys: ParsedKey[];
	try {
		keys = await new Promise<ParsedKey[]>((resolve, reject) => real.getIdentities((error, found) => (error ? reject(error) : resolve((found ?? []) as ParsedKey[]))));
	} catch {
		plan.notices.push(`The SSH agent at ${socket} (SSH_AUTH_SOCK) did not answer; its keys were not tried.`);
		return;
	}
	plan.agentPublicKeys = keys.map((key) => key.getPublicSSH());
	const files = new Set(plan.files.flatMap((file) => (file.publicKey ? [file.publicKey.toString('base64')] : [])));
	const chosen = identitiesOnly ? keys.filter((key) => files.has(key.getPublicSSH().toString('base64'))) : keys;
	if (chosen.length === 0) return;
	plan.agentKeys = chosen.length;
	plan.agent = chosenAgentKeys(real, chosen);
}

/**
 * The agent's keys this connection may offer (IdentitiesOnly narrows them); signing stays with the agent.
 * The class is made at first use: its base class is ssh2's, which loads only then.
 */
function chosenAgentKeys(real: BaseAgent, keys: ParsedKey[]): BaseAgent {
	ChosenAgentKeys ??= class extends ssh2().BaseAgent<ParsedKey> {
		constructor(
			private readonly real: BaseAgent,
			private readonly keys: ParsedKey[],
		) {
			super();
		}

		getIdentities(cb: (error: Error | undefined, keys?: ParsedKey[]) => void): void {
			cb(undefined, this.keys);
		}

		sign(pubKey: ParsedKey, data: Buffer, options: unknown, cb?: (error?: Error, signature?: Buffer) => void): void {
			const callback = typeof options === 'function' ? (options as typeof cb) : cb;
			(this.real.sign as (k: ParsedKey, d: Buffer, o: object, c?: typeof cb) => void)(pubKey, data, typeof options === 'object' && options ? options : {}, callback);
		}
	};
	return new ChosenAgentKeys(real, keys);
}

let ChosenAgentKeys: (new (real: BaseAgent, keys: ParsedKey[]) => BaseAgent) | undefined;

/**
 * Unlocks a key with a passphrase; undefined when the passphrase is wrong.
 * The unlocked key is remembered for the rest of the run.
 */
export function unlockKey(file: FileKey, passphrase: string): ParsedKey | undefined {
	const parsed = ssh2().utils.parseKey(file.text, passphrase);
	const key = Array.isArray(parsed) ? parsed[0] : parsed;
	if (!key || key instanceof Error || !key.isPrivateKey()) return undefined;
	unlocked.set(file.path, key);
	file.key = key;
	return key;
}

/** Whether a private key file needs a passphrase: PEM's ENCRYPTED headers, or an OpenSSH key with a cipher. */
export function isEncrypted(text: string): boolean {
	if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(text) || /^Proc-Type:\s*4,ENCRYPTED/m.test(text)) return true;
	const body = openSshBody(text);
	if (!body) return false;
	const cipher = readString(body, OPENSSH_MAGIC.length);
	return cipher !== undefined && cipher.value.toString('latin1') !== 'none';
}

const OPENSSH_MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');

function openSshBody(text: string): Buffer | undefined {
	const match = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(text);
	if (!match?.[1]) return undefined;
	const body = Buffer.from(match[1].replace(/\s+/g, ''), 'base64');
	return body.subarray(0, OPENSSH_MAGIC.length).equals(OPENSSH_MAGIC) ? body : undefined;
}

function readString(buffer: Buffer, offset: number): { value: Buffer; next: number } | undefined {
	if (offset + 4 > buffer.length) return undefined;
	const length = buffer.readUInt32BE(offset);
	if (offset + 4 + length > buffer.length) return undefined;
	return { value: buffer.subarray(offset + 4, offset + 4 + length), next: offset + 4 + length };
}

/** An OpenSSH key file keeps its public key unencrypted: cipher, kdf, kdf options, key count, then the key. */
export function openSshPublicKey(text: string): Buffer | undefined {
	const body = openSshBody(text);
	if (!body) return undefined;
	let offset = OPENSSH_MAGIC.length;
	for (let field = 0; field < 3; field += 1) {
		const read = readString(body, offset);
		if (!read) return undefined;
		offset = read.next;
	}
	if (offset + 4 > body.length || body.readUInt32BE(offset) < 1) return undefined;
	return readString(body, offset + 4)?.value;
}

async function publicKeyBeside(path: string): Promise<Buffer | undefined> {
	try {
		const [, blob] = (await readFile(`${path}.pub`, 'utf8')).trim().split(/\s+/);
		return blob ? Buffer.from(blob, 'base64') : undefined;
	} catch {
		return undefined;
	}
}
