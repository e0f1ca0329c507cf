import { Box, Text } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { ConnectionSettings } from '../../settings.js';
import { VAGRANT_DEFAULTS } from '../../settings.js';
import { GATEWAY_ROUTE_QUESTION, GATEWAY_ROUTES, GATEWAY_URL_LABEL } from '../questions.js';
import type { GatewayRoute } from '../questions.js';
import type { GatewayProblem } from '../services.js';
import { symbols } from '../symbols.js';
import { validateDomainName, validateEndpoint, validateHost, validatePort, validateUser } from '../../validate.js';
import { expandHome, tildify } from '../key-paths.js';
import { SelectPrompt } from './select-prompt.js';
import type { SelectItem } from './select-prompt.js';
import { Spinner } from './spinner.js';
import { TextPrompt } from './text-prompt.js';
import { messageOf } from '../../errors.js';

export type Field = 'host' | 'port' | 'user' | 'identity' | 'domain';
const FIELDS: readonly Field[] = ['host', 'port', 'user', 'identity', 'domain'];

const LABELS: Record<Field, string> = {
	host: 'Hostname or IP of a cluster machine',
	port: 'SSH port',
	user: 'SSH user',
	identity: 'SSH private key file',
	domain: 'Cluster domain',
};
const WHERE_LABEL = 'Where does the cluster run?';
const SHORT: Record<Field, string> = { host: 'Host', port: 'Port', user: 'User', identity: 'Key', domain: 'Domain' };
const CHANGE: Record<Field, string> = { host: 'the host', port: 'the SSH port', user: 'the SSH user', identity: 'the key file', domain: 'the domain' };

export interface ConnectionFormProps {
	initial?: Partial<ConnectionSettings>;
	/** Home folder for `~` in key paths (injected so tests need no real home). */
	homeDir: string;
	/** Checks the key file exists and is readable; undefined means fine. */
	checkIdentity?: (path: string) => string | undefined | Promise<string | undefined>;
	/** Checks deis-store.<domain> (or the chosen route to it) answers; undefined means fine. */
	checkDomain?: (settings: ConnectionSettings) => Promise<GatewayProblem | undefined>;
	/** A problem found after a previous submit (e.g. SSH refused): shown on the review. */
	error?: string;
	onSubmit: (settings: ConnectionSettings) => void;
}

type Values = Record<Field, string>;
/** How the store gateway is reached when not by deis-store.<domain>. */
type Gateway = { kind: 'name' } | { kind: 'tunnel' } | { kind: 'endpoint'; url: string };
/** After the gateway question: hand the settings over, or go back to the review. */
type Then = 'submit' | 'review';
type Phase =
	| { kind: 'where' }
	| { kind: 'ask'; field: Field; edit: boolean; error?: string }
	| { kind: 'route'; message: string; then: Then }
	| { kind: 'endpoint'; then: Then }
	| { kind: 'review'; error?: string }
	| { kind: 'checking'; label: string }
	| { kind: 'accepted' };

/**
 * Asks where the cluster is, one question at a time. With values given up
 * front (flags, a profile) it opens on a review where any answer can be
 * changed, so nobody retypes what the tool already knows.
 */
export function ConnectionForm({ initial = {}, homeDir, checkIdentity, checkDomain, error, onSubmit }: ConnectionFormProps) {
	// Port and user have documented defaults (22, core): they count as given.
	const complete = initial.host !== undefined && initial.domain !== undefined;
	const prefilled = FIELDS.some((field) => initial[field] !== undefined);
	const [values, setValues] = useState<Values>(() => ({
		host: initial.host ?? '',
		port: initial.port !== undefined ? String(initial.port) : complete ? '22' : '',
		user: initial.user ?? (complete ? 'core' : ''),
		identity: initial.identity !== undefined ? tildify(initial.identity, homeDir) : '',
		domain: initial.domain ?? '',
	}));
	const [defaults, setDefaults] = useState<Partial<Values>>({});
	const [where, setWhere] = useState<string | undefined>();
	const [gateway, setGateway] = useState<Gateway>(() => (initial.tunnel ? { kind: 'tunnel' } : initial.storeEndpoint ? { kind: 'endpoint', url: initial.storeEndpoint } : { kind: 'name' }));
	// Set by the domain check when the name does not reach the gateway: the answer is kept, and the routes are offered.
	const unreachable = useRef<{ domain: string; message: string } | undefined>(undefined);
	const [phase, setPhase] = useState<Phase>(() =>
		complete ? { kind: 'review', ...(error ? { error } : {}) } : initial.host !== undefined ? { kind: 'ask', field: 'host', edit: false } : { kind: 'where' },
	);
	// Fields checked by their prompt in this form; the rest are checked when the review is accepted.
	const verified = useRef(new Set<Field>());
	const mounted = useRef(true);
	useEffect(() => () => void (mounted.current = false), []);

	const settingsFrom = (v: Values, route: Gateway = gateway): ConnectionSettings => {
		const settings: ConnectionSettings = {
			...initial,
			host: v.host.trim(),
			port: Number(v.port),
			user: v.user.trim(),
			domain: v.domain.trim().replace(/\.$/, ''),
		};
		const identity = v.identity.trim();
		if (identity && identity !== AGENT) settings.identity = expandHome(identity, homeDir);
		else delete settings.identity;
		delete settings.tunnel;
		delete settings.storeEndpoint;
		if (route.kind === 'tunnel') settings.tunnel = true;
		if (route.kind === 'endpoint') settings.storeEndpoint = route.url;
		return settings;
	};

	const validateField = (field: Field, value: string): string | undefined => {
		switch (field) {
			case 'host':
				return validateHost(value);
			case 'port':
				return validatePort(value);
			case 'user':
				return validateUser(value);
			case 'domain':
				return validateDomainName(value);
			default:
				return undefined;
		}
	};

	// The whole check for one field: syntax first, then the injected file or network check.
	const check = (field: Field, value: string, v: Values): string | undefined | Promise<string | undefined> => {
		const problem = validateField(field, value);
		if (problem) return problem;
		if (field === 'identity' && value.trim() !== '' && value.trim() !== AGENT && checkIdentity) return checkIdentity(expandHome(value.trim(), homeDir));
		if (field === 'domain' && checkDomain) {
			const domain = value.trim().replace(/\.$/, '');
			return checkDomain(settingsFrom({ ...v, domain: value })).then((problem) => {
				unreachable.current = problem?.offerRoutes ? { domain, message: problem.message } : undefined;
				return problem?.offerRoutes ? undefined : problem?.message;
			});
		}
		return undefined;
	};

	/** After a domain whose gateway cannot be reached by name: ask how to reach it, if that is the case. */
	const routeNeeded = (domain: string, then: Then): boolean => {
		const problem = unreachable.current;
		if (!problem || problem.domain !== domain.trim().replace(/\.$/, '')) return false;
		unreachable.current = undefined;
		setPhase({ kind: 'route', message: problem.message, then });
		return true;
	};

	const routeChosen = (route: Gateway, then: Then) => {
		setGateway(route);
		verified.current.add('domain');
		if (then === 'submit') {
			setPhase({ kind: 'accepted' });
			onSubmit(settingsFrom(values, route));
		} else setPhase({ kind: 'review' });
	};

	const chooseRoute = (choice: GatewayRoute, then: Then) => {
		if (choice === 'tunnel') routeChosen({ kind: 'tunnel' }, then);
		else if (choice === 'endpoint') setPhase({ kind: 'endpoint', then });
		else setPhase({ kind: 'ask', field: 'domain', edit: true });
	};

	const checkEndpoint = (url: string): string | undefined | Promise<string | undefined> => {
		const problem = validateEndpoint(url.trim());
		if (problem || !checkDomain) return problem;
		return checkDomain(settingsFrom(values, { kind: 'endpoint', url: url.trim() })).then((found) => found?.message);
	};

	const checkingLabel = (field: Field) => (value: string) =>
		field === 'domain' ? `checking deis-store.${value.trim()} answers…` : field === 'identity' ? `checking ${value.trim()} can be read…` : 'checking…';

	const answered = (field: Field, value: string, edit: boolean) => {
		const next = { ...values, [field]: field === 'identity' && value === AGENT ? '' : value };
		setValues(next);
		verified.current.add(field);
		const following = FIELDS[FIELDS.indexOf(field) + 1];
		if (field === 'domain' && routeNeeded(value, !edit && !prefilled ? 'submit' : 'review')) return;
		if (!edit && following) setPhase({ kind: 'ask', field: following, edit: false });
		else if (!edit && !prefilled) onSubmit(settingsFrom(next));
		else setPhase({ kind: 'review' });
	};

	const chooseWhere = (choice: 'vagrant' | 'other', label: string) => {
		setWhere(label);
		if (choice === 'vagrant') {
			setDefaults({
				host: VAGRANT_DEFAULTS.host,
				port: String(VAGRANT_DEFAULTS.port),
				user: VAGRANT_DEFAULTS.user,
				identity: `~/${VAGRANT_DEFAULTS.identityFromHome}`,
				domain: VAGRANT_DEFAULTS.domain,
			});
		} else setDefaults({ port: '22', user: 'core' });
		setPhase({ kind: 'ask', field: 'host', edit: false });
	};

	const accept = async () => {
		for (const field of FIELDS) {
			if (verified.current.has(field)) continue;
			const verdict = check(field, values[field], values);
			if (verdict instanceof Promise) setPhase({ kind: 'checking', label: checkingLabel(field)(values[field]) });
			let problem: string | undefined;
			try {
				problem = await verdict;
			} catch (thrown) {
				problem = messageOf(thrown);
			}
			if (!mounted.current) return;
			if (problem) {
				setPhase({ kind: 'ask', field, edit: true, error: problem });
				return;
			}
			// The domain is the last field: once the route is chosen, the settings go.
			if (field === 'domain' && routeNeeded(values.domain, 'submit')) return;
			verified.current.add(field);
		}
		setPhase({ kind: 'accepted' });
		onSubmit(settingsFrom(values));
	};

	const history = (upTo: Field) => [
		where ? (
			<Text key="where">
				<Text color="green">{symbols.done}</Text> {WHERE_LABEL} <Text dimColor>·</Text> {where}
			</Text>
		) : null,
		...FIELDS.slice(0, FIELDS.indexOf(upTo)).map((field) => (
			<Text key={field}>
				<Text color="green">{symbols.done}</Text> {LABELS[field]} <Text dimColor>·</Text> {shown(field, values[field])}
			</Text>
		)),
	];

	switch (phase.kind) {
		case 'where':
			return (
				<SelectPrompt<'vagrant' | 'other'>
					label={WHERE_LABEL}
					items={[
						{ label: 'Vagrant on this machine', value: 'vagrant', hint: `${VAGRANT_DEFAULTS.user}@${VAGRANT_DEFAULTS.host}:${VAGRANT_DEFAULTS.port}, ${VAGRANT_DEFAULTS.domain}` },
						{ label: 'Another host', value: 'other', hint: 'any CoreOS machine of the cluster, over SSH' },
					]}
					onSubmit={(choice, item) => chooseWhere(choice, item.label)}
				/>
			);
		case 'ask': {
			const { field, edit } = phase;
			const fallback = defaults[field];
			const offered = edit ? undefined : values[field] || fallback;
			const hint = hintFor(field, offered !== undefined && offered !== '');
			return (
				<Box flexDirection="column">
					{edit ? null : history(field)}
					<TextPrompt
						key={`${field}:${edit ? 'edit' : 'ask'}`}
						label={LABELS[field]}
						{...(edit ? { initialValue: values[field] } : offered ? { defaultValue: offered } : {})}
						{...(phase.error ? { initialError: phase.error } : {})}
						{...(hint ? { hint } : {})}
						validate={(value) => check(field, value, values)}
						checkingLabel={checkingLabel(field)}
						onSubmit={(value) => answered(field, value, edit)}
						{...(edit ? { onCancel: () => setPhase({ kind: 'review' }) } : {})}
					/>
				</Box>
			);
		}
		case 'checking':
			return (
				<Box flexDirection="column">
					<Review values={values} gateway={gateway} />
					<Text>
						<Spinner /> {phase.label}
					</Text>
				</Box>
			);
		case 'accepted':
			return (
				<Box flexDirection="column">
					<Review values={values} gateway={gateway} />
					<Text>
						<Text color="green">{symbols.done}</Text> Connection settings accepted
					</Text>
				</Box>
			);
		case 'route': {
			const { then } = phase;
			return (
				<Box flexDirection="column">
					{then === 'submit' && !prefilled ? history('domain') : null}
					<Text color="yellow">
						{symbols.warning} {phase.message}
					</Text>
					<SelectPrompt<GatewayRoute> key="route" label={GATEWAY_ROUTE_QUESTION} items={GATEWAY_ROUTES} onSubmit={(choice) => chooseRoute(choice, then)} />
				</Box>
			);
		}
		case 'endpoint': {
			const { then } = phase;
			return (
				<TextPrompt
					key="endpoint"
					label={GATEWAY_URL_LABEL}
					{...(gateway.kind === 'endpoint' ? { defaultValue: gateway.url } : {})}
					hint="The router of the cluster as this machine reaches it, such as http://10.0.0.5."
					validate={checkEndpoint}
					checkingLabel={(url) => `checking ${url.trim()} answers…`}
					onSubmit={(url) => routeChosen({ kind: 'endpoint', url: url.trim() }, then)}
					onCancel={() => setPhase({ kind: 'route', message: `deis-store.${values.domain.trim()} cannot be reached from this machine.`, then })}
				/>
			);
		}
		case 'review': {
			const items: Array<SelectItem<Field | 'accept'>> = [
				{ label: 'Use these settings', value: 'accept' },
				...FIELDS.map((field) => ({ label: `Change ${CHANGE[field]}`, value: field })),
			];
			return (
				<Box flexDirection="column">
					<Review values={values} gateway={gateway} />
					{phase.error ? (
						<Text color="red">
							{symbols.failed} {phase.error}
						</Text>
					) : null}
					<SelectPrompt<Field | 'accept'>
						key="review"
						label="Connect with these settings?"
						items={items}
						onSubmit={(choice) => (choice === 'accept' ? void accept() : setPhase({ kind: 'ask', field: choice, edit: true }))}
					/>
				</Box>
			);
		}
	}
}

/** Typed as the key path, this word means "no key file, ask the SSH agent" even when a default path is offered. */
const AGENT = 'agent';

function hintFor(field: Field, hasDefault: boolean): string | undefined {
	if (field === 'identity') return hasDefault ? `Type "${AGENT}" to use the SSH agent instead.` : 'Leave empty to use the SSH agent.';
	if (field === 'domain') return 'The store gateway answers at deis-store.<domain>.';
	return undefined;
}

function shown(field: Field, value: string): string {
	if (field === 'identity' && (value.trim() === '' || value.trim() === AGENT)) return 'SSH agent';
	return value;
}

function Review({ values, gateway }: { values: Values; gateway: Gateway }) {
	const route = gateway.kind === 'tunnel' ? 'through the SSH tunnel' : gateway.kind === 'endpoint' ? gateway.url : undefined;
	return (
		<Box flexDirection="column" marginBottom={1}>
			<Text bold>Connection</Text>
			{FIELDS.map((field) => (
				<Text key={field}>
					{'  '}
					{SHORT[field].padEnd(8)}
					{shown(field, values[field]) || <Text dimColor>(not set)</Text>}
				</Text>
			))}
			{route ? (
				<Text>
					{'  '}
					{'Gateway'.padEnd(8)}
					{route}
				</Text>
			) : null}
		</Box>
	);
}
