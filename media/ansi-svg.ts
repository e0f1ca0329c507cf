/**
 * ANSI text (as `tmux capture-pane -e -p` prints a screen) to an SVG
 * "terminal screenshot": a window with a title bar, a dark background and
 * monospace text whose SGR colours and attributes become fills and styles.
 * Only SGR sequences matter in a capture; any other escape is dropped.
 */

export interface Style {
	/** A palette index 0–255, or a #rrggbb colour; undefined is the default. */
	fg?: number | string;
	bg?: number | string;
	bold?: boolean;
	dim?: boolean;
	italic?: boolean;
	underline?: boolean;
	strike?: boolean;
	inverse?: boolean;
}

export interface Run {
	/** First column (0-based) of the run. */
	col: number;
	text: string;
	style: Style;
}

/** One screen line as runs of equal style; columns count code points. */
export type Line = Run[];

const ESCAPE = /\u001B(?:\[([0-9;:?]*)([@-~])|\][^\u0007\u001B]*(?:\u0007|\u001B\\)|[@-Z\\-_])/g;

/**
 * Splits ANSI text into lines of styled runs. The style carries over line
 * ends, as it does on a terminal (tmux's captures rely on that).
 */
export function parseAnsi(text: string): Line[] {
	const lines: Line[] = [];
	let style: Style = {};
	for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
		const line: Line = [];
		let col = 0;
		let last = 0;
		const push = (chunk: string) => {
			// Control characters take no cell; tabs are not expected in a capture.
			const visible = chunk.replace(/[\u0000-\u001F\u007F]/g, '');
			if (!visible) return;
			const length = [...visible].length;
			const previous = line.at(-1);
			if (previous && sameStyle(previous.style, style) && previous.col + [...previous.text].length === col) previous.text += visible;
			else line.push({ col, text: visible, style: { ...style } });
			col += length;
		};
		for (const match of raw.matchAll(ESCAPE)) {
			push(raw.slice(last, match.index));
			last = match.index + match[0].length;
			if (match[2] === 'm') style = applySgr(style, match[1] ?? '');
		}
		push(raw.slice(last));
		lines.push(line);
	}
	return lines;
}

function sameStyle(a: Style, b: Style): boolean {
	const keys: Array<keyof Style> = ['fg', 'bg', 'bold', 'dim', 'italic', 'underline', 'strike', 'inverse'];
	return keys.every((key) => (a[key] ?? false) === (b[key] ?? false));
}

/** Applies one SGR parameter list (`1;32`, `38;5;208`, `38:2::1:2:3`, ``) to a style. */
export function applySgr(current: Style, params: string): Style {
	const style: Style = { ...current };
	const codes = params === '' ? [0] : params.split(/[;:]/).map((p) => (p === '' ? 0 : Number(p)));
	for (let i = 0; i < codes.length; i++) {
		const code = codes[i] ?? 0;
		if (code === 0) for (const key of Object.keys(style) as Array<keyof Style>) delete style[key];
		else if (code === 1) style.bold = true;
		else if (code === 2) style.dim = true;
		else if (code === 3) style.italic = true;
		else if (code === 4) style.underline = true;
		else if (code === 7) style.inverse = true;
		else if (code === 9) style.strike = true;
		else if (code === 22) {
			delete style.bold;
			delete style.dim;
		} else if (code === 23) delete style.italic;
		else if (code === 24) delete style.underline;
		else if (code === 27) delete style.inverse;
		else if (code === 29) delete style.strike;
		else if (code >= 30 && code <= 37) style.fg = code - 30;
		else if (code >= 90 && code <= 97) style.fg = code - 90 + 8;
		else if (code === 39) delete style.fg;
		else if (code >= 40 && code <= 47) style.bg = code - 40;
		else if (code >= 100 && code <= 107) style.bg = code - 100 + 8;
		else if (code === 49) delete style.bg;
		else if (code === 38 || code === 48) {
			const key = code === 38 ? 'fg' : 'bg';
			const mode = codes[i + 1];
			if (mode === 5) {
				style[key] = codes[i + 2] ?? 0;
				i += 2;
			} else if (mode === 2) {
				// 38;2;r;g;b, or with colons an optional colour-space id first: 38:2::r:g:b
				const rest = params.includes(':') && codes.length - i >= 6 ? codes.slice(i + 3, i + 6) : codes.slice(i + 2, i + 5);
				style[key] = `#${rest.map((n) => Math.max(0, Math.min(255, n)).toString(16).padStart(2, '0')).join('')}`;
				i += params.includes(':') && codes.length - i >= 6 ? 5 : 4;
			}
		}
	}
	return style;
}

export interface Theme {
	background: string;
	foreground: string;
	/** The 16 basic colours: black, red, green, yellow, blue, magenta, cyan, white, then the bright ones. */
	palette: readonly string[];
	titleBar: string;
	titleText: string;
}

export const DARK: Theme = {
	background: '#16181d',
	foreground: '#d7dae0',
	palette: [
		'#3b4048', '#ef6b73', '#8fc97a', '#e5c07b', '#61afef', '#c678dd', '#56c8d8', '#d7dae0',
		'#7f848e', '#ff7a85', '#a5e075', '#f0d48a', '#7cc0ff', '#d98ff0', '#7fe0ec', '#ffffff',
	],
	titleBar: '#2a2d35',
	titleText: '#9aa0ab',
};

/** xterm's 256-colour palette: 16 themed, a 6×6×6 cube, 24 greys. */
export function paletteColour(index: number, theme: Theme = DARK): string {
	if (index < 16) return theme.palette[index] ?? theme.foreground;
	if (index < 232) {
		const n = index - 16;
		const level = (v: number) => (v === 0 ? 0 : 55 + v * 40);
		return hex([level(Math.floor(n / 36)), level(Math.floor(n / 6) % 6), level(n % 6)]);
	}
	const grey = 8 + (index - 232) * 10;
	return hex([grey, grey, grey]);
}

function hex(rgb: number[]): string {
	return `#${rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

function colour(value: number | string | undefined, fallback: string, theme: Theme): string {
	if (value === undefined) return fallback;
	return typeof value === 'string' ? value : paletteColour(value, theme);
}

export function escapeXml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

export interface SvgOptions {
	/** Shown in the title bar. */
	title?: string;
	/** At least this many columns wide (the terminal's width); wider if a line is longer. */
	columns?: number;
	/** At least this many rows high; trailing blank lines are dropped first. */
	rows?: number;
	fontSize?: number;
	theme?: Theme;
}

const FONT = "ui-monospace, 'SFMono-Regular', 'Cascadia Mono', 'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace";

/** Renders ANSI text as an SVG document. */
export function ansiToSvg(ansi: string, options: SvgOptions = {}): string {
	const theme = options.theme ?? DARK;
	const fontSize = options.fontSize ?? 14;
	const cellWidth = fontSize * 0.6;
	const lineHeight = Math.round(fontSize * 1.35);
	const lines = parseAnsi(ansi);
	while (lines.length > 0 && (lines.at(-1) ?? []).every((run) => run.text.trim() === '' && run.style.bg === undefined && !run.style.inverse)) lines.pop();
	const width = (line: Line) => line.reduce((end, run) => Math.max(end, run.col + [...run.text].length), 0);
	const columns = Math.max(options.columns ?? 0, ...lines.map(width));
	const rows = Math.max(options.rows ?? 0, lines.length);

	const pad = 16;
	const titleHeight = 30;
	const svgWidth = Math.ceil(pad * 2 + columns * cellWidth);
	const svgHeight = Math.ceil(titleHeight + pad + rows * lineHeight + pad);
	const n = (v: number) => String(Math.round(v * 100) / 100);

	const out: string[] = [];
	out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${svgWidth}" height="${svgHeight}" viewBox="0 0 ${svgWidth} ${svgHeight}" role="img" aria-label="${escapeXml(options.title ?? 'terminal')}">`);
	out.push(`<rect width="${svgWidth}" height="${svgHeight}" rx="8" fill="${theme.background}"/>`);
	out.push(`<path d="M0 8a8 8 0 0 1 8-8h${svgWidth - 16}a8 8 0 0 1 8 8v${titleHeight - 8}h-${svgWidth}z" fill="${theme.titleBar}"/>`);
	['#ff5f57', '#febc2e', '#28c840'].forEach((fill, i) => out.push(`<circle cx="${20 + i * 20}" cy="${titleHeight / 2}" r="6" fill="${fill}"/>`));
	if (options.title) {
		out.push(`<text x="${n(svgWidth / 2)}" y="${n(titleHeight / 2 + 4.5)}" text-anchor="middle" font-family="${escapeXml(FONT)}" font-size="13" fill="${theme.titleText}">${escapeXml(options.title)}</text>`);
	}
	out.push(`<g font-family="${escapeXml(FONT)}" font-size="${fontSize}" xml:space="preserve">`);
	lines.forEach((line, row) => {
		const top = titleHeight + pad + row * lineHeight;
		const baseline = top + lineHeight * 0.75;
		for (const run of line) {
			const length = [...run.text].length;
			const x = pad + run.col * cellWidth;
			let fg = colour(run.style.fg, theme.foreground, theme);
			let bg = run.style.bg === undefined ? undefined : colour(run.style.bg, theme.background, theme);
			if (run.style.inverse) [fg, bg] = [bg ?? theme.background, fg];
			if (bg) out.push(`<rect x="${n(x)}" y="${n(top)}" width="${n(length * cellWidth)}" height="${lineHeight}" fill="${bg}"/>`);
			if (run.text.trim() === '') continue;
			const attributes = [
				`x="${n(x)}"`,
				`y="${n(baseline)}"`,
				`fill="${fg}"`,
				// Every run fills exactly its cells, whatever the font's own widths.
				`textLength="${n(length * cellWidth)}"`,
				'lengthAdjust="spacingAndGlyphs"',
				run.style.bold ? 'font-weight="bold"' : '',
				run.style.dim ? 'fill-opacity="0.6"' : '',
				run.style.italic ? 'font-style="italic"' : '',
				run.style.underline || run.style.strike ? `text-decoration="${[run.style.underline ? 'underline' : '', run.style.strike ? 'line-through' : ''].filter(Boolean).join(' ')}"` : '',
			].filter(Boolean);
			out.push(`<text ${attributes.join(' ')}>${escapeXml(run.text)}</text>`);
		}
	});
	out.push('</g>', '</svg>');
	return `${out.join('\n')}\n`;
}
