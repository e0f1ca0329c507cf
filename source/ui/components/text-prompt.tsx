import { Box, Text } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { symbols } from '../symbols.js';
import { isCtrlC, useKeys } from '../use-keys.js';
import { Spinner } from './spinner.js';
import { messageOf } from '../../errors.js';

export type Validator = (value: string) => string | undefined | Promise<string | undefined>;

export interface TextPromptProps {
	label: string;
	/** Used when Enter is pressed on an empty field; shown in brackets. Tab copies it into the field to edit. */
	defaultValue?: string;
	/** Text already in the field, editable (for changing a previous answer). */
	initialValue?: string;
	/** A dim line under the question. */
	hint?: string;
	/** Dim text after the question, such as (Y/n). */
	suffix?: string;
	/** How the accepted answer is shown once submitted; defaults to the text itself. */
	display?: (value: string) => string;
	/** Returns one sentence saying what is wrong, or undefined when the value is fine. */
	validate?: Validator;
	/** Shown while an async validation runs; a function of the value being checked. */
	checkingLabel?: string | ((value: string) => string);
	/** An error to show before anything is typed (e.g. from a later check). */
	initialError?: string;
	/** Show this character instead of each typed one (passwords). */
	mask?: string;
	/** Leading and trailing spaces are dropped unless false. */
	trim?: boolean;
	isActive?: boolean;
	onSubmit: (value: string) => void;
	/** Escape; without it Escape does nothing. */
	onCancel?: () => void;
}

type Status = { kind: 'editing' } | { kind: 'checking'; label: string } | { kind: 'done'; value: string };

export function TextPrompt(props: TextPromptProps) {
	const { label, defaultValue, hint, suffix, mask, isActive = true, trim = true } = props;
	const [value, setValue] = useState(props.initialValue ?? '');
	const [error, setError] = useState<string | undefined>(props.initialError);
	const [status, setStatus] = useState<Status>({ kind: 'editing' });
	// Keys can arrive faster than React re-renders; the ref is the truth for Enter.
	const valueRef = useRef(value);
	const busy = useRef(false);
	const mounted = useRef(true);
	useEffect(() => () => void (mounted.current = false), []);

	const update = (next: string) => {
		valueRef.current = next;
		setValue(next);
	};

	const finish = (answer: string) => {
		busy.current = true; // a second Enter before the re-render must not submit twice
		setError(undefined);
		setStatus({ kind: 'done', value: answer });
		props.onSubmit(answer);
	};

	const submit = () => {
		const typed = trim ? valueRef.current.trim() : valueRef.current;
		const answer = typed === '' ? (defaultValue ?? '') : typed;
		const verdict = props.validate?.(answer);
		if (!(verdict instanceof Promise)) {
			if (verdict) setError(verdict);
			else finish(answer);
			return;
		}
		busy.current = true;
		const checking = typeof props.checkingLabel === 'function' ? props.checkingLabel(answer) : (props.checkingLabel ?? 'checking…');
		setStatus({ kind: 'checking', label: checking });
		verdict.then(
			(message) => settle(answer, message),
			(thrown: unknown) => settle(answer, messageOf(thrown)),
		);
	};

	const settle = (answer: string, message: string | undefined) => {
		busy.current = false;
		if (!mounted.current) return;
		if (message) {
			setError(message);
			setStatus({ kind: 'editing' });
		} else finish(answer);
	};

	useKeys(
		(input, key) => {
			if (busy.current || isCtrlC(input, key)) return;
			if (key.return) submit();
			else if (key.escape) props.onCancel?.();
			else if (key.backspace || key.delete) update(valueRef.current.slice(0, -1));
			else if (key.ctrl && input === 'u') update('');
			else if (key.tab) {
				if (valueRef.current === '' && defaultValue) update(defaultValue);
			} else if (!key.ctrl && !key.meta && !key.upArrow && !key.downArrow && !key.leftArrow && !key.rightArrow) {
				// Pasted text (or fast typing) arrives as one chunk; a line break in it is Enter.
				const lineBreak = input.search(/[\r\n]/);
				const text = (lineBreak === -1 ? input : input.slice(0, lineBreak)).replace(/[\u0000-\u001F\u007F]/g, '');
				if (text) update(valueRef.current + text);
				if (lineBreak !== -1) submit();
			}
		},
		isActive && status.kind === 'editing',
	);

	if (status.kind === 'done') {
		return (
			<Text>
				<Text color="green">{symbols.done}</Text> {label} <Text dimColor>·</Text> {mask ? mask.repeat(status.value.length) : (props.display?.(status.value) ?? status.value)}
			</Text>
		);
	}

	const shown = mask ? mask.repeat(value.length) : value;
	return (
		<Box flexDirection="column">
			<Text>
				<Text color="cyan">{symbols.question}</Text> <Text bold>{label}</Text>
				{defaultValue ? <Text dimColor> ({defaultValue})</Text> : null}
				{suffix ? <Text dimColor> {suffix}</Text> : null}
				<Text dimColor> › </Text>
				{shown}
				{status.kind === 'editing' && isActive ? <Text inverse> </Text> : null}
			</Text>
			{hint ? <Text dimColor>  {hint}</Text> : null}
			{status.kind === 'checking' ? (
				<Text>
					{'  '}
					<Spinner /> {status.label}
				</Text>
			) : null}
			{error && status.kind === 'editing' ? (
				<Text color="red">
					{'  '}
					{symbols.failed} {error}
				</Text>
			) : null}
		</Box>
	);
}
