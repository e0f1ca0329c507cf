/**
 * Checks on what an operator types, each returning one sentence an operator
 * can act on, or undefined when the value is fine. Shared by flags, saved
 * profiles, --plain's questions and the wizard's prompts: one rule per value,
 * whichever face it was typed in.
 */
import { isIP } from 'node:net';
import { EXIT, UserError } from './errors.js';

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

/**
 * The gateway URL. Only http: a Deis v1 store gateway is reached through the
 * router on port 80, and the S3 clients here speak plain HTTP, so an https://
 * URL would have been spoken to unencrypted on the wrong port. Refused rather
 * than silently downgraded; --tunnel is the way to keep the traffic private.
 */
export function validateEndpoint(value: string): string | undefined {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return `${JSON.stringify(value)} is not a URL (for example http://deis-store.example.com).`;
	}
	if (url.protocol === 'https:') return `${value}: https is not supported; a Deis v1 store gateway speaks plain HTTP through the router. Give the http:// URL, or --tunnel to carry the traffic inside the SSH connection.`;
	if (url.protocol !== 'http:') return `${value} must start with http:// (the Deis gateway speaks plain HTTP).`;
	if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) return `${value} must be a bare URL such as http://deis-store.example.com.`;
	return undefined;
}

/**
 * Bucket names as the store gateway accepts them: Ceph radosgw's relaxed S3
 * rules (3 to 255 characters; letters of either case, digits, dots, hyphens
 * and underscores, as in Deis' own db_wal), and never a path trick.
 */
const BUCKET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{2,254}$/;

export function isValidBucketName(name: string): boolean {
	return BUCKET_NAME.test(name) && !name.includes('..');
}

/** The largest --buckets list: a backup of more is a different tool's job, and a typo'd paste should not pass. */
export const MAX_BUCKETS = 32;

export function parseBucketList(value: string): { buckets?: string[]; problem?: string } {
	const names = value.split(',').map((name) => name.trim());
	if (names.some((name) => name === '')) return { problem: 'give bucket names separated by commas, such as db_wal,registry (no empty names).' };
	const bad = names.find((name) => !isValidBucketName(name));
	if (bad !== undefined) return { problem: `${JSON.stringify(bad)} is not a valid bucket name (3 to 255 letters, digits, dots, hyphens or underscores, starting with a letter or digit).` };
	if (new Set(names).size !== names.length) return { problem: 'a bucket is named twice.' };
	if (names.length > MAX_BUCKETS) return { problem: `at most ${MAX_BUCKETS} buckets.` };
	return { buckets: names };
}

/**
 * nginx's size syntax as the router's client_max_body_size takes it: a whole
 * number with an optional k, m or g. The floor is what a restore's smallest
 * multipart part (5 MiB, S3's minimum) needs with room for headers; the
 * ceiling is S3's largest single PUT (5 GiB), beyond which no request goes.
 */
export const BODY_SIZE_MIN = 8 * 1024 ** 2;
export const BODY_SIZE_MAX = 5 * 1024 ** 3;
export const DEFAULT_BODY_SIZE = '100m';

export function parseNginxSize(value: string): number | undefined {
	const match = /^(\d{1,13})([kKmMgG]?)$/.exec(value.trim());
	if (!match) return undefined;
	const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(match[2] ?? '').toLowerCase() as '' | 'k' | 'm' | 'g'];
	return Number(match[1]) * unit;
}

export function validateBodySize(value: string): string | undefined {
	const bytes = parseNginxSize(value);
	if (bytes === undefined) return `${JSON.stringify(value)} is not a size in nginx syntax: a whole number with k, m or g, such as 100m.`;
	if (bytes < BODY_SIZE_MIN) return `${value.trim()} is too small: a restore uploads parts of up to 5 MiB, so give at least 8m.`;
	if (bytes > BODY_SIZE_MAX) return `${value.trim()} is too large: no request is bigger than 5g (S3's largest single upload).`;
	return undefined;
}

/** Gateways to scale to: Deis' own docs scale to a handful; hundreds would starve the hosts. */
export const MAX_GATEWAYS = 16;

export function validateScaleGateways(value: string): string | undefined {
	return wholeNumberIn(value, 1, MAX_GATEWAYS, 'gateways');
}

export const MAX_CONCURRENCY = 256;
export const DEFAULT_CONCURRENCY = 32;

export function validateConcurrency(value: string): string | undefined {
	return wholeNumberIn(value, 1, MAX_CONCURRENCY, 'objects in flight');
}

function wholeNumberIn(value: string, min: number, max: number, what: string): string | undefined {
	const text = value.trim();
	if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) return `${JSON.stringify(value)} is not a whole number from ${min} to ${max} (${what}).`;
	return undefined;
}

/**
 * What shapes a run besides the connection, as typed (flags, --plain answers,
 * the wizard's fields). Every face checks these through runOptionsFrom, once,
 * before anything is written or connected.
 */
export interface RunOptionsInput {
	concurrency?: string;
	scaleGateways?: string;
	buckets?: string;
	bodySize?: string;
}

export interface RunOptions {
	concurrency: number;
	/** Scale store-gateway to this many during the transfer (backup). */
	scaleGateways?: number;
	/** Download these buckets instead of the database's and the registry's (backup). */
	buckets?: string[];
	/** The router's bodySize during a restore. */
	bodySize: string;
}

/** The flag each field is given by, for messages that name what to change. */
export const RUN_OPTION_FLAGS: Record<keyof RunOptionsInput, string> = {
	concurrency: '--concurrency',
	scaleGateways: '--scale-gateways',
	buckets: '--buckets',
	bodySize: '--body-size',
};

export interface OptionProblem {
	field: keyof RunOptionsInput;
	flag: string;
	problem: string;
}

/** Every problem at once, for a form that marks each field. */
export function runOptionProblems(input: RunOptionsInput): OptionProblem[] {
	const problems: OptionProblem[] = [];
	const add = (field: keyof RunOptionsInput, problem: string | undefined) => {
		if (problem) problems.push({ field, flag: RUN_OPTION_FLAGS[field], problem });
	};
	if (input.concurrency !== undefined) add('concurrency', validateConcurrency(input.concurrency));
	if (input.scaleGateways !== undefined) add('scaleGateways', validateScaleGateways(input.scaleGateways));
	if (input.buckets !== undefined) add('buckets', parseBucketList(input.buckets).problem);
	if (input.bodySize !== undefined) add('bodySize', validateBodySize(input.bodySize));
	return problems;
}

/** The checked options, or a usage error (exit 2) naming the first bad flag. */
export function runOptionsFrom(input: RunOptionsInput): RunOptions {
	const [first] = runOptionProblems(input);
	if (first) throw new UserError(`${first.flag}: ${first.problem}`, EXIT.usage);
	return {
		concurrency: input.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(input.concurrency.trim()),
		scaleGateways: input.scaleGateways === undefined ? undefined : Number(input.scaleGateways.trim()),
		buckets: input.buckets === undefined ? undefined : parseBucketList(input.buckets).buckets,
		bodySize: input.bodySize === undefined ? DEFAULT_BODY_SIZE : input.bodySize.trim(),
	};
}
