/**
 * The tables and the targets of issue 8, computed from the medians of one run
 * of the bench (ratios within one run: absolute times on a shared 2-core
 * machine swing too much to compare across runs).
 */
import { median, type Sample } from './measure.js';

export interface Row {
	tool: string;
	samples: Sample[];
	failures: string[];
	/** The ceiling row: its time is measured inside the client, start-up excluded. */
	ceiling?: boolean;
	note?: string;
}

export interface Table {
	key: string;
	title: string;
	/** What a run moves (or checks, for a re-sync). */
	objects: number;
	bytes: number;
	rows: Row[];
}

export const OURS = 'deis-backup';

const MB = 1e6;

export function medianOf(row: Row | undefined, pick: (s: Sample) => number): number {
	if (!row || row.samples.length === 0) return Number.NaN;
	return median(row.samples.map(pick));
}

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

function pad(cells: string[][]): string {
	const widths = cells[0]?.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length))) ?? [];
	return cells.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ')).join('\n');
}

export function renderTable(table: Table): string {
	const ours = medianOf(
		table.rows.find((r) => r.tool === OURS),
		(s) => s.wallMs,
	);
	const header = ['tool', 'median s', 'objects/s', 'MB/s', 'peak RSS MB', 'CPU s', 'requests', 'time ÷ ours', 'runs (s)'];
	const lines: string[][] = [header];
	for (const row of table.rows) {
		const wall = medianOf(row, (s) => s.wallMs);
		const seconds = wall / 1000;
		const runs = row.samples.map((s) => (s.wallMs / 1000).toFixed(2)).join(' ');
		const failed = row.failures.length > 0 ? ` FAILED×${row.failures.length}` : '';
		lines.push([
			row.ceiling ? `${row.tool} (limit)` : row.tool,
			fmt(seconds),
			fmt(table.objects / seconds, 0),
			fmt(table.bytes / MB / seconds, 1),
			fmt(medianOf(row, (s) => s.rssBytes) / (1024 * 1024), 0),
			fmt(medianOf(row, (s) => s.cpuMs) / 1000),
			fmt(medianOf(row, (s) => s.requests ?? Number.NaN), 0),
			row.tool === OURS ? '1.00' : fmt(wall / ours),
			runs + failed,
		]);
	}
	const notes = table.rows.flatMap((r) => [...(r.note ? [`  ${r.tool}: ${r.note}`] : []), ...r.failures.map((f) => `  ${r.tool} failed: ${f}`)]);
	return [`${table.title}  [${table.objects} objects, ${(table.bytes / MB).toFixed(1)} MB]`, pad(lines), ...notes].join('\n');
}

export interface Target {
	name: string;
	met: boolean | undefined;
	detail: string;
}

export function speedTargets(table: Table, s3cmdFactor?: number): Target[] {
	const ours = medianOf(
		table.rows.find((r) => r.tool === OURS),
		(s) => s.wallMs,
	);
	const peers = table.rows.filter((r) => r.tool !== OURS && !r.ceiling && r.samples.length > 0);
	const targets: Target[] = [];
	if (peers.length > 0) {
		const fastest = peers.reduce((a, b) => (medianOf(a, (s) => s.wallMs) <= medianOf(b, (s) => s.wallMs) ? a : b));
		const ratio = medianOf(fastest, (s) => s.wallMs) / ours;
		targets.push({
			name: `${table.key}: at least as fast as the fastest peer`,
			met: Number.isFinite(ratio) ? ratio >= 1 : undefined,
			detail: `fastest peer ${fastest.tool} ${fmt(medianOf(fastest, (s) => s.wallMs) / 1000)} s vs ours ${fmt(ours / 1000)} s (peer ÷ ours ${fmt(ratio)})`,
		});
	}
	if (s3cmdFactor) {
		const s3cmd = table.rows.find((r) => r.tool === 's3cmd');
		const ratio = medianOf(s3cmd, (s) => s.wallMs) / ours;
		targets.push({
			name: `${table.key}: ≥${s3cmdFactor}× faster than s3cmd`,
			met: Number.isFinite(ratio) ? ratio >= s3cmdFactor : undefined,
			detail: `s3cmd ÷ ours ${fmt(ratio)}`,
		});
	}
	return targets;
}

export function rssTarget(table: Table, limitMB: number): Target {
	const rss = medianOf(
		table.rows.find((r) => r.tool === OURS),
		(s) => s.rssBytes,
	);
	const worst = Math.max(...(table.rows.find((r) => r.tool === OURS)?.samples.map((s) => s.rssBytes) ?? [Number.NaN]));
	return {
		name: `${table.key}: peak RSS under ${limitMB} MB`,
		met: Number.isFinite(worst) ? worst < limitMB * 1024 * 1024 : undefined,
		detail: `ours median ${fmt(rss / 1048576, 0)} MB, worst run ${fmt(worst / 1048576, 0)} MB`,
	};
}

export function renderTargets(targets: Target[]): string {
	const mark = (t: Target) => (t.met === undefined ? 'n/a   ' : t.met ? 'MET   ' : 'MISSED');
	return targets.map((t) => `  ${mark(t)}  ${t.name} — ${t.detail}`).join('\n');
}
