/**
 * Checks on what an operator types, each returning one sentence or undefined.
 * Shared by flags, saved profiles and the wizard's prompts.
 */
const HOSTNAME = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9A-Fa-f:.]{2,45}$/;
const USER = /^[a-z_][a-z0-9_-]{0,31}$/;

export function checkHost(value: string): string | undefined {
	const host = value.trim();
	if (host === '') return 'Enter the host name or IP address of a cluster machine.';
	if (IPV4.test(host) || (host.includes(':') && IPV6.test(host)) || HOSTNAME.test(host)) return undefined;
	return `${JSON.stringify(host)} is not a host name or IP address.`;
}

export function checkPort(value: string | number): string | undefined {
	const text = String(value).trim();
	const port = Number(text);
	if (!/^\d+$/.test(text) || port < 1 || port > 65535) return `${JSON.stringify(text)} is not a port number (1-65535; Vagrant uses 2222).`;
	return undefined;
}

export function checkUser(value: string): string | undefined {
	if (USER.test(value.trim())) return undefined;
	return `${JSON.stringify(value)} is not a valid user name (CoreOS hosts use core).`;
}

export function checkDomain(value: string): string | undefined {
	const domain = value.trim().replace(/\.$/, '');
	if (domain === '') return 'Enter the cluster domain (the gateway answers at deis-store.<domain>).';
	if (!domain.includes('.') && domain !== 'localhost') return `${JSON.stringify(domain)} is not a full domain name (for example local3.deisapp.com).`;
	if (!HOSTNAME.test(`deis-store.${domain}`)) return `${JSON.stringify(domain)} is not a valid domain name.`;
	return undefined;
}

export function checkEndpoint(value: string): string | undefined {
	try {
		const url = new URL(value);
		if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${value} must start with http:// (the Deis gateway speaks plain HTTP).`;
		if (url.pathname !== '/' || url.search || url.username) return `${value} must be a bare URL such as http://deis-store.example.com.`;
		return undefined;
	} catch {
		return `${JSON.stringify(value)} is not a URL (for example http://deis-store.example.com).`;
	}
}
