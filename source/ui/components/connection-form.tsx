/**
 * The connection questions drawn for the full-screen wizard. What is asked,
 * in which order, with which offer and check, is connection-flow.ts; this
 * draws its phase and turns keys into its events.
 */
import { Box, Text } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { ConnectionSettings } from '../../settings.js';
import { GATEWAY_ROUTE_QUESTION, GATEWAY_ROUTES, GATEWAY_URL_LABEL } from '../questions.js';
import type { GatewayRoute } from '../questions.js';
import type { GatewayProblem } from '../services.js';
import { symbols } from '../symbols.js';
import {
	answeredSoFar,
	checkAnswer,
	checkEndpoint,
	checkingLabel,
	FIELD_LABELS,
	FIELDS,
	formFlow,
	gatewayShown,
	hintFor,
	offeredValue,
	shownValue,
	startForm,
	WHERE_CHOICES,
	WHERE_LABEL,
	type ConnectionAnswers,
	type Field,
	type FormEvent,
	type FormProbes,
	type FormState,
	type Gateway,
	type Values,
	type Where,
} from '../connection-flow.js';
import { SelectPrompt } from './select-prompt.js';
import type { SelectItem } from './select-prompt.js';
import { Spinner } from './spinner.js';
import { TextPrompt } from './text-prompt.js';
import { messageOf } from '../../errors.js';

const SHORT: Record<Field, string> = { host: 'Host', port: 'Port', user: 'User', identity: 'Key', domain: 'Domain' };
const CHANGE: Record<Field, string> = { host: 'the host', port: 'the SSH port', user: 'the SSH user', identity: 'the key file', domain: 'the domain' };

export interface ConnectionFormViewProps {
	state: FormState;
	dispatch: (event: FormEvent) => void;
	probes: FormProbes;
}

/**
 * One phase of the connection questions. With values given up front (flags,
 * a profile) it opens on a review where any answer can be changed, so nobody
 * retypes what the tool already knows.
 */
export function ConnectionFormView({ state, dispatch, probes }: ConnectionFormViewProps) {
	const { phase, values, gateway } = state;
	// Set by the domain check when the name does not reach the gateway: handed on with the answer.
	const unreachable = useRef<{ domain: string; message: string } | undefined>(undefined);
	const check = (field: Field) => (value: string) => {
		const verdict = checkAnswer(state, field, value, probes);
		const settle = (found: { problem?: string; unreachable?: string }) => {
			if (field === 'domain') unreachable.current = found.unreachable !== undefined ? { domain: value.trim(), message: found.unreachable } : undefined;
			return found.problem;
		};
		return verdict instanceof Promise ? verdict.then(settle) : settle(verdict);
	};
	const answered = (field: Field, value: string) => {
		const found = field === 'domain' && unreachable.current?.domain === value.trim() ? unreachable.current.message : undefined;
		unreachable.current = undefined;
		dispatch({ type: 'answered', field, value, ...(found !== undefined ? { unreachable: found } : {}) });
	};

	// "Use these settings": the answers no question checked are checked here, one at a time.
	useEffect(() => {
		if (phase.kind !== 'checking') return;
		let live = true;
		const { field } = phase;
		Promise.resolve(checkAnswer(state, field, values[field], probes)).then(
			(found) => live && dispatch({ type: 'checked', field, ...found }),
			(thrown: unknown) => live && dispatch({ type: 'checked', field, problem: messageOf(thrown) }),
		);
		return () => void (live = false);
	}, [phase]);

	switch (phase.kind) {
		case 'where':
			return <SelectPrompt<Where> label={WHERE_LABEL} items={WHERE_CHOICES} onSubmit={(where, item) => dispatch({ type: 'where-chosen', where, label: item.label })} />;
		case 'ask': {
			const { field, edit } = phase;
			const offered = edit ? undefined : offeredValue(state, field);
			const hint = hintFor(state, field);
			return (
				<Box flexDirection="column">
					{edit ? null : <History state={state} upTo={field} />}
					<TextPrompt
						key={`${field}:${edit ? 'edit' : 'ask'}`}
						label={FIELD_LABELS[field]}
						{...(edit ? { initialValue: values[field] } : offered ? { defaultValue: offered } : {})}
						{...(phase.error ? { initialError: phase.error } : {})}
						{...(hint ? { hint } : {})}
						validate={check(field)}
						checkingLabel={(value) => checkingLabel(field, value)}
						onSubmit={(value) => answered(field, value)}
						{...(edit ? { onCancel: () => dispatch({ type: 'edit-cancelled' }) } : {})}
					/>
				</Box>
			);
		}
		case 'checking':
			return (
				<Box flexDirection="column">
					<Review values={values} gateway={gateway} />
					<Text>
						<Spinner /> {checkingLabel(phase.field, values[phase.field])}
					</Text>
				</Box>
			);
		case 'done':
			return (
				<Box flexDirection="column">
					<Review values={values} gateway={gateway} />
					<Text>
						<Text color="green">{symbols.done}</Text> Connection settings accepted
					</Text>
				</Box>
			);
		case 'route':
			return (
				<Box flexDirection="column">
					{phase.then === 'submit' && !state.prefilled ? <History state={state} upTo="domain" /> : null}
					<Text color="yellow">
						{symbols.warning} {phase.message}
					</Text>
					<SelectPrompt<GatewayRoute> key="route" label={GATEWAY_ROUTE_QUESTION} items={GATEWAY_ROUTES} onSubmit={(route) => dispatch({ type: 'route-chosen', route })} />
				</Box>
			);
		case 'endpoint':
			return (
				<TextPrompt
					key="endpoint"
					label={GATEWAY_URL_LABEL}
					{...(gateway.kind === 'endpoint' ? { defaultValue: gateway.url } : {})}
					hint="The router of the cluster as this machine reaches it, such as http://10.0.0.5."
					validate={(url) => checkEndpoint(state, url, probes)}
					checkingLabel={(url) => `checking ${url.trim()} answers…`}
					onSubmit={(url) => dispatch({ type: 'endpoint-answered', url })}
					onCancel={() => dispatch({ type: 'endpoint-cancelled' })}
				/>
			);
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
						onSubmit={(choice) => dispatch(choice === 'accept' ? { type: 'accepted' } : { type: 'edit', field: choice })}
					/>
				</Box>
			);
		}
	}
}

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
	onSubmit: (answers: ConnectionAnswers) => void;
}

/** The questions on their own, holding their state: for a screen that is only about the connection. */
export function ConnectionForm({ initial = {}, homeDir, checkIdentity, checkDomain, error, onSubmit }: ConnectionFormProps) {
	const complete = initial.host !== undefined && initial.domain !== undefined;
	const [state, setState] = useState<FormState>(() => startForm(initial, { homeDir, reviewsGiven: true }, error && complete ? { error, previous: initial as ConnectionAnswers } : undefined));
	const current = useRef(state);
	const dispatch = (event: FormEvent) => {
		const next = formFlow(current.current, event);
		current.current = next;
		setState(next);
		if (next.phase.kind === 'done') onSubmit(next.phase.answers);
	};
	const probes: FormProbes = {
		...(checkIdentity ? { identity: checkIdentity } : {}),
		...(checkDomain ? { domain: checkDomain } : {}),
	};
	return <ConnectionFormView state={state} dispatch={dispatch} probes={probes} />;
}

function History({ state, upTo }: { state: FormState; upTo: Field }) {
	return (
		<>
			{answeredSoFar(state, upTo).map(({ label, value }) => (
				<Text key={label}>
					<Text color="green">{symbols.done}</Text> {label} <Text dimColor>·</Text> {value}
				</Text>
			))}
		</>
	);
}

function Review({ values, gateway }: { values: Values; gateway: Gateway }) {
	const route = gatewayShown(gateway);
	return (
		<Box flexDirection="column" marginBottom={1}>
			<Text bold>Connection</Text>
			{FIELDS.map((field) => (
				<Text key={field}>
					{'  '}
					{SHORT[field].padEnd(8)}
					{shownValue(field, values[field]) || <Text dimColor>(not set)</Text>}
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
