/**
 * The controller's database rows: the users, keys, apps, domains, certificate
 * and configs a small Deis v1 installation holds. pg_dumpall prints them and
 * the controller's model saves publish them to etcd.
 */
import { createHash } from 'node:crypto';
import { randomBytesFor, uuidFor } from './random.js';

export interface UserRow {
	id: number;
	username: string;
	email: string;
	isSuperuser: boolean;
	dateJoined: string;
}
export interface KeyRow {
	uuid: string;
	ownerId: number;
	/** The key's name, e.g. `alice@laptop`. */
	id: string;
	public: string;
	fingerprint: string;
	created: string;
}
export interface AppRow {
	uuid: string;
	ownerId: number;
	id: string;
	structure: Record<string, number>;
	created: string;
}
export interface DomainRow {
	id: number;
	ownerId: number;
	appId: string;
	domain: string;
	created: string;
}
export interface CertificateRow {
	id: number;
	ownerId: number;
	commonName: string;
	certificate: string;
	key: string;
	expires: string;
	created: string;
}
export interface ConfigRow {
	uuid: string;
	ownerId: number;
	appId: string;
	values: Record<string, string>;
	memory: Record<string, string>;
	cpu: Record<string, number>;
	tags: Record<string, string>;
	created: string;
}
export interface DemoModel {
	users: UserRow[];
	keys: KeyRow[];
	apps: AppRow[];
	domains: DomainRow[];
	certificates: CertificateRow[];
	/** In creation order: a later row of the same app supersedes an earlier one. */
	configs: ConfigRow[];
}

function stamp(day: number, seconds: number): string {
	const d = new Date(Date.UTC(2016, 2, 1 + day, 9, 0, seconds));
	return d.toISOString().replace('T', ' ').replace('Z', '') + '000+00';
}

/** An OpenSSH public key line and its MD5 fingerprint, the form Deis v1 stores. */
function sshPublicKey(seed: string, comment: string): { line: string; fingerprint: string } {
	const type = 'ssh-ed25519';
	const blob = Buffer.concat([u32string(Buffer.from(type)), u32string(randomBytesFor(seed, 32))]);
	const md5 = createHash('md5').update(blob).digest('hex');
	return { line: `${type} ${blob.toString('base64')} ${comment}`, fingerprint: md5.match(/../g)!.join(':') };
}

function u32string(b: Buffer): Buffer {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(b.length);
	return Buffer.concat([len, b]);
}

/**
 * Certificate text in PEM armour. Nothing in the procedure parses it (it is
 * copied from the database to etcd), so pseudo-random DER-sized content will do
 * and no real private key ships with the demo.
 */
export function pem(label: string, seed: string, bytes: number): string {
	const b64 = randomBytesFor(seed, bytes).toString('base64');
	return `-----BEGIN ${label}-----\n${b64.match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;
}

export function demoModel(): DemoModel {
	const users: UserRow[] = [
		{ id: 1, username: 'admin', email: 'admin@example.com', isSuperuser: true, dateJoined: stamp(0, 1) },
		{ id: 2, username: 'alice', email: 'alice@example.com', isSuperuser: false, dateJoined: stamp(1, 2) },
		{ id: 3, username: 'bob', email: 'bob@example.com', isSuperuser: false, dateJoined: stamp(2, 3) },
	];
	const keySpecs: Array<[number, string]> = [
		[1, 'admin@workstation'],
		[2, 'alice@laptop'],
		[2, 'alice@ci'],
		[3, 'bob@desktop'],
	];
	const keys = keySpecs.map(([ownerId, name], i): KeyRow => {
		const k = sshPublicKey(`key:${name}`, name);
		return { uuid: uuidFor(`key:${name}`), ownerId, id: name, public: k.line, fingerprint: k.fingerprint, created: stamp(3, i) };
	});
	const appSpecs: Array<[number, string, Record<string, number>]> = [
		[2, 'shop-frontend', { web: 2 }],
		[2, 'shop-worker', { worker: 1 }],
		[3, 'blog', { web: 1 }],
		[1, 'status-page', { web: 1, cmd: 0 }],
	];
	const apps = appSpecs.map(([ownerId, id, structure], i): AppRow => ({ uuid: uuidFor(`app:${id}`), ownerId, id, structure, created: stamp(4, i) }));
	const domains: DomainRow[] = [
		{ id: 1, ownerId: 2, appId: 'shop-frontend', domain: 'shop.example.com', created: stamp(5, 1) },
		{ id: 2, ownerId: 2, appId: 'shop-frontend', domain: 'www.shop.example.com', created: stamp(5, 2) },
		{ id: 3, ownerId: 3, appId: 'blog', domain: 'blog.example.org', created: stamp(5, 3) },
	];
	const certificates: CertificateRow[] = [
		{
			id: 1,
			ownerId: 2,
			commonName: 'shop.example.com',
			certificate: pem('CERTIFICATE', 'cert:shop', 870),
			key: pem('RSA PRIVATE KEY', 'certkey:shop', 1190),
			expires: '2017-03-06 12:00:00+00',
			created: stamp(6, 1),
		},
	];
	const config = (appId: string, ownerId: number, values: Record<string, string>, n: number): ConfigRow => ({
		uuid: uuidFor(`config:${appId}:${n}`),
		ownerId,
		appId,
		values,
		memory: {},
		cpu: {},
		tags: {},
		created: stamp(7, n),
	});
	const configs: ConfigRow[] = [
		config('shop-frontend', 2, {}, 1),
		config('shop-frontend', 2, { DATABASE_URL: 'postgres://shop:s3cret@db.example.com/shop', SECRET_KEY_OLD: 'retired' }, 2),
		config('shop-frontend', 2, { DATABASE_URL: 'postgres://shop:s3cret@db.example.com/shop', SECRET_KEY: 'f00dcafe', NEW_RELIC_APP_NAME: 'Shop Frontend' }, 3),
		config('shop-worker', 2, { QUEUE_URL: 'redis://queue.example.com:6379/0', WORKERS: '4' }, 4),
		config('blog', 3, { THEME: 'casper', Mixed_Case_Key: 'keeps its value, loses its case' }, 5),
		config('status-page', 1, {}, 6),
	];
	return { users, keys, apps, domains, certificates, configs };
}
