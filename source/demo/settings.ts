/**
 * The platform's own etcd settings on a demo cluster. The source carries what
 * an operator of a v1.12 cluster would have set (TLS, LDAP, log drain,
 * registry on S3, store tuning, a custom image, a key v1.13 dropped, one key
 * no release reads) next to what the platform generates; a fresh cluster
 * has only generated keys, with values of its own.
 */
import type { DemoEtcd } from './etcd.js';
import { pem } from './model.js';
import { hexFor, randomBytesFor, uuidFor } from './random.js';

/** /etc/deis-release of each cluster: the source was provisioned with v1.12.0 and upgraded in place. */
export const DEMO_RELEASE = { source: 'v1.12.0', fresh: 'v1.13.4' } as const;
/** /deis/platform/version the source's operator set during that in-place upgrade. */
export const SOURCE_VERSION = 'v1.12.2';

/** The deis run key as deisctl stores it: the key file's bytes, base64. */
function sshPrivateKeyValue(): string {
	let file = pem('OPENSSH PRIVATE KEY', 'demo:sshPrivateKey', 700);
	// A length that is no multiple of 3 ends the encoding in `=`, as most keys' do: the padding must survive.
	if (file.length % 3 === 0) file += '\n';
	return Buffer.from(file).toString('base64');
}

/** Keys an operator sets (`deisctl config … set`), full path → value exactly as etcd holds it. */
export function operatorSettings(): Record<string, string> {
	return {
		'/deis/platform/version': SOURCE_VERSION,
		'/deis/platform/sshPrivateKey': sshPrivateKeyValue(),
		'/deis/platform/enablePlacementOptions': 'false',
		'/deis/controller/registrationMode': 'admin_only',
		'/deis/controller/webEnabled': '1',
		'/deis/controller/workers': '5',
		'/deis/controller/auth/ldap/endpoint': 'ldaps://ldap.example.com:636',
		'/deis/controller/auth/ldap/bind/dn': 'cn=deis,ou=services,dc=example,dc=com',
		'/deis/controller/auth/ldap/bind/password': 'ldap-Bind-pw=7Qx!demo',
		'/deis/controller/auth/ldap/user/basedn': 'ou=people,dc=example,dc=com',
		'/deis/controller/auth/ldap/user/filter': '(uid=%(user)s)',
		'/deis/controller/auth/ldap/group/basedn': 'ou=groups,dc=example,dc=com',
		'/deis/controller/auth/ldap/group/type': 'groupOfNames',
		'/deis/controller/schedulerModule': 'scheduler.fleet',
		'/deis/router/sslCert': pem('CERTIFICATE', 'demo:router-cert', 900),
		'/deis/router/sslKey': pem('RSA PRIVATE KEY', 'demo:router-key', 1190),
		'/deis/router/sslDhparam': pem('DH PARAMETERS', 'demo:router-dh', 264),
		'/deis/router/enforceHTTPS': 'true',
		'/deis/router/hsts/enabled': 'true',
		'/deis/router/hsts/maxAge': '15552000',
		'/deis/router/sslProtocols': 'TLSv1.1 TLSv1.2',
		'/deis/router/controller/whitelist': '10.0.0.0/8:office,192.168.0.0/16',
		'/deis/router/firewall/enabled': 'true',
		'/deis/router/errorLogLevel': 'warn',
		'/deis/logs/drain': 'syslog+tls://logs.example.com:6514/?token=dr41n-t0ken=',
		'/deis/logs/storageAdapterType': 'memory:2000',
		'/deis/registry/s3bucket': 'example-deis-registry',
		'/deis/registry/s3region': 'eu-west-1',
		'/deis/registry/s3accessKey': 'AKIADEMOREGISTRY0001',
		'/deis/registry/s3secretKey': 'r3g1stry/S3cret+Key=demo0000000000000000',
		'/deis/store/pgNum': '128',
		'/deis/store/delayStart': '30',
		'/deis/logger/image': 'registry.example.com/ops/logger:v1.12.2-syslog',
		'/deis/router/image': 'deis/router:v1.12.2',
		// No Deis release reads this: kept in the backup, never applied.
		'/deis/monitoring/datadogApiKey': 'dd-api-0f1e2d3c4b5a69788796a5b4c3d2e1f0',
	};
}

/** What the platform writes itself, different on every cluster. */
export function generatedSettings(cluster: string, hostIp: string): Record<string, string> {
	const secret = (what: string, bytes: number) => randomBytesFor(`${cluster}:${what}`, bytes).toString('base64');
	return {
		'/deis/controller/secretKey': hexFor(`${cluster}:secretKey`, 64),
		'/deis/controller/builderKey': hexFor(`${cluster}:builderKey`, 64),
		'/deis/controller/protocol': 'http',
		'/deis/store/fsid': uuidFor(`${cluster}:fsid`),
		'/deis/store/monKeyring': `[mon.]\n\tkey = ${secret('mon', 28)}\n\tcaps mon = "allow *"\n`,
		'/deis/store/adminKeyring': `[client.admin]\n\tkey = ${secret('admin', 28)}\n`,
		'/deis/store/monSetupComplete': 'youBetcha',
		[`/deis/store/hosts/${hostIp}`]: hostIp,
		[`/deis/store/osds/${hostIp}`]: '0',
		'/deis/database/adminUser': 'postgres',
		'/deis/database/adminPass': hexFor(`${cluster}:adminPass`, 32),
		'/deis/database/user': 'deis',
		'/deis/database/password': hexFor(`${cluster}:dbPassword`, 32),
		'/deis/database/name': 'deis',
		'/deis/builder/sshHostRsaKey': pem('RSA PRIVATE KEY', `${cluster}:builder-host`, 600),
		'/deis/controller/host': hostIp,
		'/deis/controller/port': '8000',
		'/deis/registry/host': hostIp,
		'/deis/registry/port': '5000',
		'/deis/logs/host': hostIp,
		'/deis/logs/port': '514',
		[`/deis/router/hosts/${hostIp}`]: `${hostIp}:80`,
		'/deis/migrations/data/0001': 'done',
		'/deis/migrations/data/0002': 'done',
	};
}

export function seedPlatformSettings(etcd: DemoEtcd, mode: 'source' | 'fresh', cluster: string, hostIp: string): void {
	const values = { ...generatedSettings(cluster, hostIp), ...(mode === 'source' ? operatorSettings() : {}) };
	for (const [key, value] of Object.entries(values)) etcd.set(key, value);
}
