/**
 * The ANSI → SVG converter behind media/wizard-*.svg, on a known capture.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ansiToSvg, applySgr, DARK, escapeXml, paletteColour, parseAnsi } from '../../media/ansi-svg.js';

const E = '\u001B[';

// Shaped like `tmux capture-pane -e -p`: styles carry over line ends, combined parameters, 256 and true colour.
const CAPTURE = [
	`${E}1mBacking up${E}0m core ${E}32m✔${E}39m done${E}2m (0s)`,
	`still dim${E}0m ${E}7m ${E}27m <a & b>`,
	`${E}0;2m${E}39m${E}49mdim again${E}0m ${E}38;5;208mo${E}38;2;1;2;3mr${E}0m ${E}90m◼ pending`,
	`${E}0m${E}41m  ${E}0m`,
	'',
	'',
].join('\n');

test('parseAnsi: runs with columns and styles, carried across lines', () => {
	const lines = parseAnsi(CAPTURE);
	assert.equal(lines.length, 6);
	assert.deepEqual(lines[0], [
		{ col: 0, text: 'Backing up', style: { bold: true } },
		{ col: 10, text: ' core ', style: {} },
		{ col: 16, text: '✔', style: { fg: 2 } },
		{ col: 17, text: ' done', style: {} },
		{ col: 22, text: ' (0s)', style: { dim: true } },
	]);
	assert.deepEqual(lines[1], [
		{ col: 0, text: 'still dim', style: { dim: true } },
		{ col: 9, text: ' ', style: {} },
		{ col: 10, text: ' ', style: { inverse: true } },
		{ col: 11, text: ' <a & b>', style: {} },
	]);
	assert.deepEqual(lines[2], [
		{ col: 0, text: 'dim again', style: { dim: true } },
		{ col: 9, text: ' ', style: {} },
		{ col: 10, text: 'o', style: { fg: 208 } },
		{ col: 11, text: 'r', style: { fg: '#010203' } },
		{ col: 12, text: ' ', style: {} },
		{ col: 13, text: '◼ pending', style: { fg: 8 } },
	]);
	assert.deepEqual(lines[3], [{ col: 0, text: '  ', style: { bg: 1 } }]);
});

test('applySgr: resets, bright colours, default colours', () => {
	assert.deepEqual(applySgr({}, '1;96;104'), { bold: true, fg: 14, bg: 12 });
	assert.deepEqual(applySgr({ bold: true, dim: true, fg: 3 }, '22;39'), {});
	assert.deepEqual(applySgr({ bold: true, fg: 3 }, ''), {});
	assert.deepEqual(applySgr({}, '48;5;17'), { bg: 17 });
});

test('paletteColour: the theme for 0–15, the xterm cube and greys above', () => {
	assert.equal(paletteColour(2), DARK.palette[2]);
	assert.equal(paletteColour(16), '#000000');
	assert.equal(paletteColour(196), '#ff0000');
	assert.equal(paletteColour(231), '#ffffff');
	assert.equal(paletteColour(232), '#080808');
	assert.equal(paletteColour(255), '#eeeeee');
});

test('ansiToSvg: a window with a title, text placed by cell, colours as fills, XML escaped', () => {
	const svg = ansiToSvg(CAPTURE, { title: 'deis-backup <demo>', columns: 40, fontSize: 10 });
	assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" /);
	assert.ok(svg.trimEnd().endsWith('</svg>'));
	// 40 columns of 6 px plus 16 px padding each side; title bar 30, padding 16 + 4 lines of 14 px (blank tail dropped) + 16.
	assert.match(svg, /width="272" height="118"/);
	assert.match(svg, /<text [^>]*>deis-backup &lt;demo&gt;<\/text>/);
	assert.match(svg, new RegExp(`<text x="16" y="56.5" fill="${DARK.foreground}" textLength="60" lengthAdjust="spacingAndGlyphs" font-weight="bold">Backing up</text>`));
	assert.match(svg, new RegExp(`<text x="112" y="56.5" fill="${DARK.palette[2]}" textLength="6" [^>]*>✔</text>`));
	assert.match(svg, /<text x="148" [^>]*fill-opacity="0.6">/);
	// Inverse: a foreground-coloured cell behind the cursor.
	assert.match(svg, new RegExp(`<rect x="76" y="60" width="6" height="14" fill="${DARK.foreground}"/>`));
	assert.match(svg, />\s&lt;a &amp; b&gt;<\/text>/);
	assert.match(svg, /fill="#ff8700"[^>]*>o<\/text>/);
	assert.match(svg, /fill="#010203"[^>]*>r<\/text>/);
	assert.match(svg, new RegExp(`fill="${DARK.palette[8]}"[^>]*>◼ pending</text>`));
	assert.match(svg, new RegExp(`<rect x="16" y="88" width="12" height="14" fill="${DARK.palette[1]}"/>`));
	// Only whole, balanced elements.
	const opened = svg.match(/<(svg|g|text)\b/g)?.length ?? 0;
	const closed = svg.match(/<\/(svg|g|text)>/g)?.length ?? 0;
	assert.equal(opened, closed);
	assert.ok(!/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(svg), 'no control characters left in the XML');
});

test('escapeXml', () => {
	assert.equal(escapeXml(`<'a' & "b">`), '&lt;&apos;a&apos; &amp; &quot;b&quot;&gt;');
});
