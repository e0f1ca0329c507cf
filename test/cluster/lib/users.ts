/** Local accounts, read from /etc/passwd (Node has no getpwnam). */
import { readFileSync } from 'node:fs';

export interface LocalUser {
	name: string;
	uid: number;
	gid: number;
	home: string;
}

export function findUser(name: string): LocalUser | undefined {
	for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
		const [user, , uid, gid, , home] = line.split(':');
		if (user === name) return { name, uid: Number(uid), gid: Number(gid), home: home ?? '' };
	}
	return undefined;
}

export function lookupUser(name: string): LocalUser {
	const user = findUser(name);
	if (!user) throw new Error(`user ${name} does not exist on this machine`);
	return user;
}
