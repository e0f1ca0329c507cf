import assert from 'node:assert/strict';
import { it } from 'node:test';
import ssh2 from 'ssh2';
import { generateEd25519 } from '../../source/demo/keys.js';

it('draws only ed25519 pairs that ssh2 can read back (its generator sometimes cannot)', () => {
	for (let i = 0; i < 300; i++) {
		const pair = generateEd25519('t');
		const pub = ssh2.utils.parseKey(pair.public);
		const priv = ssh2.utils.parseKey(pair.private);
		assert.ok(!(pub instanceof Error) && !(priv instanceof Error), pair.public);
		assert.equal(pub.getPublicSSH().length, 51);
		const data = Buffer.from(`message ${i}`);
		assert.equal(pub.verify(data, priv.sign(data)), true);
	}
});
