/**
 * The connection questions as a pure reducer, one part of the wizard's flow
 * (flow.ts): where the cluster runs, host, port, user, key, domain, and when
 * deis-store.<domain> cannot be reached by name, the tunnel or a gateway URL.
 * Which question comes when, what it offers, how its answer is checked and
 * where a failed check leads are decided here; the Ink form and `--plain`
 * only draw the phase and turn what the operator typed into an event.
 */
import type { ConnectionSettings } from '../settings.js';
import { VAGRANT_DEFAULTS } from '../settings.js';
import { validateDomainName, validateEndpoint, validateHost, validatePort, validateUser } from '../validate.js';
import type { GatewayProblem } from '../plans/checks.js';
import type { GatewayRoute } from './questions.js';
import { expandHome, tildify } from './key-paths.js';

export type Field = 'host' | 'port' | 'user' | 'identity' | 'domain';
export const FIELDS: readonly Field[] = ['host', 'port', 'user', 'identity', 'domain'];

export const FIELD_LABELS: Record<Field, string> = {
	host: 'Hostname or IP of a cluster machine',
	port: 'SSH port',
	user: 'SSH user',
	identity: 'SSH private key file',
	domain: 'Cluster domain',
};

export const WHERE_LABEL = 'Where does the cluster run?';
export type Where = 'vagrant' | 'other';
export const WHERE_CHOICES: ReadonlyArray<{ value: Where; label: string; hint: string }> = [
	{ value: 'vagrant', label: 'Vagrant on this machine', hint: `${VAGRANT_DEFAULTS.user}@${VAGRANT_DEFAULTS.host}:${VAGRANT_DEFAULTS.port}, ${VAGRANT_DEFAULTS.domain}` },
	{ value: 'other', label: 'Another host', hint: 'any CoreOS machine of the cluster, over SSH' },
];

/** Typed as the key path, this word means "no key file, ask the SSH agent" even when a default path is offered. */
export const AGENT = 'agent';

/**
 * Port 22 and user core offered to "Another host" are the fallbacks, not
 * answers: a host that is an ssh_config alias keeps the config's Port and
 * User, as on the command line (a flag, then ssh_config, then the fallback).
 */
const FALLBACK = { port: '22', user: 'core' } as const;
type Fallback = keyof typeof FALLBACK;

/** The connection as answered: no port or user means ssh_config's for the host, else 22 and core. */
export type ConnectionAnswers = Omit<ConnectionSettings, 'port' | 'user'> & { port?: number; user?: string };

/** The answers with the fallbacks filled in, for a face without ssh_config at hand (the tests' fakes). */
export function withFallbacks(answers: ConnectionAnswers): ConnectionSettings {
	return { ...answers, port: answers.port ?? Number(FALLBACK.port), user: answers.user ?? FALLBACK.user };
}

export type Values = Record<Field, string>;
/** How the store gateway is reached when not by deis-store.<domain>. */
export type Gateway = { kind: 'name' } | { kind: 'tunnel' } | { kind: 'endpoint'; url: string };
/** After the gateway question: hand the settings over, or go back to the review. */
export type Then = 'submit' | 'review';

export type FormPhase =
	| { kind: 'where' }
	| { kind: 'ask'; field: Field; edit: boolean; error?: string }
	| { kind: 'route'; message: string; then: Then }
	| { kind: 'endpoint'; then: Then }
	| { kind: 'review'; error?: string }
	/** "Use these settings": the answers not checked by their own question are checked one at a time. */
	| { kind: 'checking'; field: Field }
	| { kind: 'done'; answers: ConnectionAnswers };

export interface FormState {
	phase: FormPhase;
	values: Values;
	/** What each question offers when nothing was given for it (a preset's or the fallback). */
	defaults: Partial<Values>;
	where?: string;
	/** The Vagrant preset was chosen: what it offers is an answer, not a fallback. */
	preset: boolean;
	gateway: Gateway;
	/** Fields whose answer passed its check in this form. */
	verified: Field[];
	/** Some answers were known up front: the form ends on the review, not at the last question. */
	prefilled: boolean;
	/** Whether the port and the user came from the flags, a profile, a preset or the operator; not the fallback. */
	given: Record<Fallback, boolean>;
	/** What was known up front (flags, a profile); fields the form does not ask about ride along. */
	initial: Partial<ConnectionSettings>;
	homeDir: string;
}

export interface FormOptions {
	homeDir: string;
	/**
	 * The full-screen wizard opens known answers on a review where any can be changed;
	 * `--plain` takes them as answers and asks only the rest, as it does for every flag.
	 */
	reviewsGiven: boolean;
}

export type FormEvent =
	| { type: 'where-chosen'; where: Where; label: string }
	/** An answer that passed its check; `unreachable` when the domain's gateway cannot be reached by name. */
	| { type: 'answered'; field: Field; value: string; unreachable?: string }
	| { type: 'edit'; field: Field }
	| { type: 'edit-cancelled' }
	| { type: 'accepted' }
	/** What the check of a field not checked by its question found, after "Use these settings". */
	| { type: 'checked'; field: Field; problem?: string; unreachable?: string }
	| { type: 'route-chosen'; route: GatewayRoute }
	| { type: 'endpoint-answered'; url: string }
	| { type: 'endpoint-cancelled' };

/** A connection that failed its SSH check, to be answered again. */
export interface Retry {
	error: string;
	previous: ConnectionAnswers;
}

export function startForm(given: Partial<ConnectionSettings>, options: FormOptions, retry?: Retry): FormState {
	// The wizard reviews the answers that failed, with the reason; --plain asks again what the flags did not answer.
	// Left to ssh_config before, left to it again: no port or user is made up for the review.
	const initial = (retry && options.reviewsGiven ? retry.previous : given) as Partial<ConnectionSettings>;
	const complete = initial.host !== undefined && initial.domain !== undefined;
	const known = (field: Field) => initial[field] !== undefined;
	const values: Values = {
		host: initial.host ?? '',
		// Port and user have documented defaults (22, core): with host and domain known they count as given.
		port: initial.port !== undefined ? String(initial.port) : complete ? FALLBACK.port : '',
		user: initial.user ?? (complete ? FALLBACK.user : ''),
		identity: initial.identity !== undefined ? tildify(initial.identity, options.homeDir) : '',
		domain: initial.domain ?? '',
	};
	const state: FormState = {
		phase: { kind: 'where' },
		values,
		defaults: {},
		preset: false,
		gateway: initial.tunnel ? { kind: 'tunnel' } : initial.storeEndpoint ? { kind: 'endpoint', url: initial.storeEndpoint } : { kind: 'name' },
		verified: [],
		prefilled: options.reviewsGiven && FIELDS.some(known),
		given: { port: initial.port !== undefined, user: initial.user !== undefined },
		initial,
		homeDir: options.homeDir,
	};
	if (!options.reviewsGiven) {
		const fallbacks: Partial<Values> = { ...FALLBACK };
		if (retry) {
			// The previous answers are offered; with every answer a flag, all of them are open to change.
			const previous = retry.previous;
			const offered: Partial<Values> = { ...fallbacks, host: previous.host, domain: previous.domain };
			if (previous.port !== undefined) offered.port = String(previous.port);
			if (previous.user !== undefined) offered.user = previous.user;
			if (previous.identity !== undefined) offered.identity = tildify(previous.identity, options.homeDir);
			const asked = FIELDS.filter((field) => !known(field));
			const verified = asked.length > 0 ? FIELDS.filter(known) : [];
			const first = FIELDS.find((field) => !verified.includes(field)) ?? 'host';
			const reopened = asked.length > 0 ? values : { host: '', port: '', user: '', identity: '', domain: '' };
			return { ...state, values: reopened, defaults: offered, verified, gateway: previous.tunnel ? { kind: 'tunnel' } : previous.storeEndpoint ? { kind: 'endpoint', url: previous.storeEndpoint } : state.gateway, phase: { kind: 'ask', field: first, edit: false, error: retry.error } };
		}
		// Given answers are answers: ask the rest in order, Vagrant's preset only when no host was given.
		const verified = FIELDS.filter((field) => known(field) || (complete && (field === 'port' || field === 'user')));
		if (initial.host === undefined) return { ...state, verified };
		return nextQuestion({ ...state, defaults: fallbacks, verified }, 'host');
	}
	if (complete) return { ...state, phase: { kind: 'review', ...(retry ? { error: retry.error } : {}) } };
	if (initial.host !== undefined) return { ...state, defaults: { ...FALLBACK }, phase: { kind: 'ask', field: 'host', edit: false } };
	return state;
}

/** The first field from `from` on that is still to be asked; the settings go when none is. */
function nextQuestion(state: FormState, from: Field): FormState {
	const next = FIELDS.slice(FIELDS.indexOf(from)).find((field) => !state.verified.includes(field));
	if (next) return { ...state, phase: { kind: 'ask', field: next, edit: false } };
	return done(state);
}

function done(state: FormState, gateway: Gateway = state.gateway): FormState {
	return { ...state, gateway, phase: { kind: 'done', answers: answersOf(state, gateway) } };
}

const normalDomain = (domain: string) => domain.trim().replace(/\.$/, '');

export function formFlow(state: FormState, event: FormEvent): FormState {
	const { phase } = state;
	const verify = (field: Field, s: FormState = state): FormState => ({ ...s, verified: s.verified.includes(field) ? s.verified : [...s.verified, field] });
	switch (event.type) {
		case 'where-chosen': {
			const defaults: Partial<Values> =
				event.where === 'vagrant'
					? { host: VAGRANT_DEFAULTS.host, port: String(VAGRANT_DEFAULTS.port), user: VAGRANT_DEFAULTS.user, identity: `~/${VAGRANT_DEFAULTS.identityFromHome}`, domain: VAGRANT_DEFAULTS.domain }
					: { ...FALLBACK };
			return nextQuestion({ ...state, where: event.label, defaults, preset: event.where === 'vagrant' }, 'host');
		}
		case 'answered': {
			const { field } = event;
			const value = field === 'identity' && event.value.trim() === AGENT ? '' : event.value;
			const edit = phase.kind === 'ask' && phase.edit;
			let next = verify(field, { ...state, values: { ...state.values, [field]: value } });
			if (field === 'port' || field === 'user') {
				const given = value.trim() !== FALLBACK[field] || state.preset || state.initial[field] !== undefined;
				next = { ...next, given: { ...state.given, [field]: given } };
			}
			// A domain whose gateway cannot be reached by name is kept; how to reach it is asked next.
			if (field === 'domain' && event.unreachable !== undefined) return { ...next, phase: { kind: 'route', message: event.unreachable, then: !edit && !state.prefilled ? 'submit' : 'review' } };
			const following = FIELDS[FIELDS.indexOf(field) + 1];
			if (!edit && following) return nextQuestion(next, following);
			if (!edit && !state.prefilled) return done(next);
			return { ...next, phase: { kind: 'review' } };
		}
		case 'edit':
			return { ...state, phase: { kind: 'ask', field: event.field, edit: true } };
		case 'edit-cancelled':
			return { ...state, phase: { kind: 'review' } };
		case 'accepted':
			return checkNext(state);
		case 'checked': {
			const { field } = event;
			if (event.problem !== undefined) return { ...state, phase: { kind: 'ask', field, edit: true, error: event.problem } };
			// The domain is the last field: once the route is chosen, the settings go.
			if (field === 'domain' && event.unreachable !== undefined) return { ...state, phase: { kind: 'route', message: event.unreachable, then: 'submit' } };
			return checkNext(verify(field));
		}
		case 'route-chosen': {
			if (phase.kind !== 'route') return state;
			if (event.route === 'tunnel') return routeChosen(verify('domain'), { kind: 'tunnel' }, phase.then);
			if (event.route === 'endpoint') return { ...state, phase: { kind: 'endpoint', then: phase.then } };
			return { ...state, phase: { kind: 'ask', field: 'domain', edit: true } };
		}
		case 'endpoint-answered':
			if (phase.kind !== 'endpoint') return state;
			return routeChosen(verify('domain'), { kind: 'endpoint', url: event.url.trim() }, phase.then);
		case 'endpoint-cancelled':
			if (phase.kind !== 'endpoint') return state;
			return { ...state, phase: { kind: 'route', message: `deis-store.${normalDomain(state.values.domain)} cannot be reached from this machine.`, then: phase.then } };
	}
}

function routeChosen(state: FormState, gateway: Gateway, then: Then): FormState {
	return then === 'submit' ? done(state, gateway) : { ...state, gateway, phase: { kind: 'review' } };
}

/** After "Use these settings": the first answer not yet checked, or the settings. */
function checkNext(state: FormState): FormState {
	const field = FIELDS.find((f) => !state.verified.includes(f));
	return field ? { ...state, phase: { kind: 'checking', field } } : done(state);
}

/** What a question offers on Enter; nothing while a given answer is being changed. */
export function offeredValue(state: FormState, field: Field): string | undefined {
	const offered = state.values[field] || state.defaults[field];
	return offered === '' ? undefined : offered;
}

export function hintFor(state: FormState, field: Field): string | undefined {
	if (field === 'identity') return offeredValue(state, field) !== undefined ? `Type "${AGENT}" to use the SSH agent instead.` : 'Leave empty to use the SSH agent.';
	if (field === 'domain') return 'The store gateway answers at deis-store.<domain>.';
	return undefined;
}

/** An answer as the review and the transcript show it. */
export function shownValue(field: Field, value: string): string {
	if (field === 'identity' && (value.trim() === '' || value.trim() === AGENT)) return 'SSH agent';
	return value;
}

/** The questions answered so far, in order: the history above the open question. */
export function answeredSoFar(state: FormState, upTo: Field): Array<{ label: string; value: string }> {
	const where = state.where ? [{ label: WHERE_LABEL, value: state.where }] : [];
	return [...where, ...FIELDS.slice(0, FIELDS.indexOf(upTo)).map((field) => ({ label: FIELD_LABELS[field], value: shownValue(field, state.values[field]) }))];
}

export function gatewayShown(gateway: Gateway): string | undefined {
	return gateway.kind === 'tunnel' ? 'through the SSH tunnel' : gateway.kind === 'endpoint' ? gateway.url : undefined;
}

export function answersOf(state: FormState, gateway: Gateway = state.gateway): ConnectionAnswers {
	const { values, initial } = state;
	const { port: _port, user: _user, ...rest } = initial;
	const answers: ConnectionAnswers = { ...rest, host: values.host.trim(), domain: normalDomain(values.domain) };
	if (state.given.port || values.port.trim() !== FALLBACK.port) answers.port = Number(values.port);
	if (state.given.user || values.user.trim() !== FALLBACK.user) answers.user = values.user.trim();
	const identity = values.identity.trim();
	if (identity && identity !== AGENT) answers.identity = expandHome(identity, state.homeDir);
	else delete answers.identity;
	delete answers.tunnel;
	delete answers.storeEndpoint;
	if (gateway.kind === 'tunnel') answers.tunnel = true;
	if (gateway.kind === 'endpoint') answers.storeEndpoint = gateway.url;
	return answers;
}

/** The checks that need the disk or the network, injected by the face. */
export interface FormProbes {
	/** The key file exists and can be read; undefined means fine. */
	identity?(path: string): string | undefined | Promise<string | undefined>;
	/** deis-store.<domain> (or the chosen route to it) answers; undefined means fine. */
	domain?(answers: ConnectionSettings): Promise<GatewayProblem | undefined>;
}

/** What a check found: a problem to fix, or (domain) a gateway to reach some other way. */
export interface Verdict {
	problem?: string;
	unreachable?: string;
}

/** The whole check of one answer: syntax first, then the key file or the gateway. Synchronous when no probe is needed. */
export function checkAnswer(state: FormState, field: Field, value: string, probes: FormProbes): Verdict | Promise<Verdict> {
	const syntax = field === 'host' ? validateHost(value) : field === 'port' ? validatePort(value) : field === 'user' ? validateUser(value) : field === 'domain' ? validateDomainName(value) : undefined;
	if (syntax) return { problem: syntax };
	const typed = value.trim();
	if (field === 'identity' && typed !== '' && typed !== AGENT && probes.identity) {
		const found = probes.identity(expandHome(typed, state.homeDir));
		return found instanceof Promise ? found.then((problem) => (problem ? { problem } : {})) : found ? { problem: found } : {};
	}
	if (field === 'domain' && probes.domain) {
		return probes.domain(probeSettings({ ...state, values: { ...state.values, domain: value } })).then((found) => {
			if (!found) return {};
			return found.offerRoutes ? { unreachable: found.message } : { problem: found.message };
		});
	}
	return {};
}

/** A gateway URL: a URL, and one that answers. */
export function checkEndpoint(state: FormState, url: string, probes: FormProbes): string | undefined | Promise<string | undefined> {
	const problem = validateEndpoint(url.trim());
	if (problem || !probes.domain) return problem;
	return probes.domain(probeSettings(state, { kind: 'endpoint', url: url.trim() })).then((found) => found?.message);
}

export function checkingLabel(field: Field, value: string): string {
	return field === 'domain' ? `checking deis-store.${value.trim()} answers…` : field === 'identity' ? `checking ${value.trim()} can be read…` : 'checking…';
}

/** The gateway checks need no port or user: the fallbacks stand in for those left to ssh_config. */
function probeSettings(state: FormState, gateway?: Gateway): ConnectionSettings {
	return withFallbacks(answersOf(state, gateway));
}
