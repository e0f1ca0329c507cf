/**
 * Ed25519 key pairs for the demo's SSH host and client.
 *
 * ssh2's generateKeyPairSync drops a leading zero byte of the public key now
 * and then (about one key in 200), leaving a 31-byte key that ssh2 itself
 * then refuses to parse; such pairs are simply drawn again.
 */
import ssh2 from 'ssh2';

const { utils } = ssh2;
/** string "ssh-ed25519" (4 + 11) + string key (4 + 32). */
const ED25519_BLOB_LENGTH = 51;

export function generateEd25519(comment?: string): { private: string; public: string } {
	for (let attempt = 0; attempt < 20; attempt++) {
		const pair = utils.generateKeyPairSync('ed25519', comment ? { comment } : {});
		const pub = utils.parseKey(pair.public);
		const priv = utils.parseKey(pair.private);
		if (pub instanceof Error || priv instanceof Error) continue;
		if (pub.getPublicSSH().length === ED25519_BLOB_LENGTH && priv.getPublicSSH().equals(pub.getPublicSSH())) return pair;
	}
	throw new Error('could not generate a valid ed25519 key pair');
}
