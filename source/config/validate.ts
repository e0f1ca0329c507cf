/**
 * Checks on what an operator types, each returning one sentence an operator
 * can act on, or undefined when the value is fine. Shared by flags, saved
 * profiles and the wizard's prompts.
 */
import { isIP } from 'node:net';

// Anything a shell would interpret: the host ends up in ssh command lines shown to the operator.
const SHELL_META = /[\s;&|$`'"<>()\\*?!{}[\]#~]/;
const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

export function validateHost(value: string): string | undefined {
	const host = value.trim();
	if (host === '') return 'Enter the host name or IP address of one CoreOS machine.';
	if (host.includes('@')) return `Enter the user separately; the host here is just "${host.slice(host.lastIndexOf('@') + 1)}".`;
	if (/^\[.*\]$/.test(host) && isIP(host.slice(1, -1)) === 6) return undefined;
	if (isIP(host) !== 0) return undefined;
	if (host.includes(':')) return `"${host}" is not a valid IPv6 address; give the SSH port on its own (--port, or the SSH port question).`;
	if (SHELL_META.test(host)) return 'A host name cannot contain spaces or shell characters such as ; & | $ ` \' " < > ( ).';
	if (/^[\d.]+$/.test(host)) return `"${host}" is not a valid IPv4 address (four numbers 0–255 separated by dots).`;
	if (host.length > 253 || !host.replace(/\.$/, '').split('.').every((label) => LABEL.test(label))) {
		return `"${host}" is not a valid host name: use letters, digits, hyphens and dots.`;
	}
	return undefined;
}

/** An ssh_config alias: a name for ssh only, but it still shows in command lines. */
export function validateAlias(value: string): string | undefined {
	if (value.startsWith('-')) return `"${value}" cannot start with "-".`;
	if (SHELL_META.test(value)) return 'A host name cannot contain spaces or shell characters such as ; & | $ ` \' " < > ( ).';
	return undefined;
}

export function validatePort(value: string): string | undefined {
	const port = value.trim();
	if (!/^\d+$/.test(port)) return 'The SSH port is a whole number between 1 and 65535 (Vagrant uses 2222).';
	const n = Number(port);
	if (n < 1 || n > 65535) return `${port} is outside the port range 1–65535.`;
	return undefined;
}

/** POSIX portable user names (lower case, as CoreOS's `core`). */
export function validateUser(value: string): string | undefined {
	const user = value.trim();
	if (user === '') return 'Enter the SSH user (CoreOS machines use "core").';
	if (user.length > 32) return 'A user name is at most 32 characters.';
	if (!/^[a-z_][a-z0-9_-]*\$?$/.test(user)) return `"${user}" is not a valid user name: lower-case letters, digits, _ and -, not starting with a digit or -.`;
	return undefined;
}

export function validateDomainName(value: string): string | undefined {
	const domain = value.trim().replace(/\.$/, '');
	if (domain === '') return 'Enter the cluster domain, such as local3.deisapp.com.';
	if (/^[a-z]+:\/\//i.test(domain)) return 'Enter just the domain, without http:// (for example local3.deisapp.com).';
	if (/^deis-store\./i.test(domain)) return `Enter the cluster domain without "deis-store." (${domain.slice('deis-store.'.length)}).`;
	if (domain.length > 253 || !domain.split('.').every((label) => LABEL.test(label))) {
		return `"${domain}" is not a valid domain: use letters, digits, hyphens and dots.`;
	}
	if (!domain.includes('.')) return `"${domain}" needs at least one dot, such as local3.deisapp.com.`;
	return undefined;
}

export function validateEndpoint(value: string): string | undefined {
	try {
		const url = new URL(value);
		if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${value} must start with http:// (the Deis gateway speaks plain HTTP).`;
		if (url.pathname !== '/' || url.search || url.username) return `${value} must be a bare URL such as http://deis-store.example.com.`;
		return undefined;
	} catch {
		return `${JSON.stringify(value)} is not a URL (for example http://deis-store.example.com).`;
	}
}
