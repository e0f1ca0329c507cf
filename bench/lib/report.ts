/**
 * The tables and the targets of issue 17, computed from the medians of one run
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

const wallOf = (row: Row | undefined) => medianOf(row, (s) => s.wallMs);

/** The peer with the lowest median time (the ceiling is a reference, not a peer); undefined if every peer failed. */
export function fastestPeer(table: Table): Row | undefined {
	const peers = table.rows.filter((r) => r.tool !== OURS && !r.ceiling && r.samples.length > 0);
	if (peers.length === 0) return undefined;
	return peers.reduce((a, b) => (wallOf(a) <= wallOf(b) ? a : b));
}

const ceilingOf = (table: Table) => table.rows.find((r) => r.ceiling);

export function renderTable(table: Table): string {
	const ours = wallOf(table.rows.find((r) => r.tool === OURS));
	const fastest = wallOf(fastestPeer(table));
	const ceiling = wallOf(ceilingOf(table));
	// Speed ratios (the other's time ÷ this row's): above 1.00 this row is faster; "× ceiling" is the share of the gateway's ceiling reached.
	const header = ['tool', 'median s', 'objects/s', 'MB/s', 'peak RSS MB', 'CPU s', 'CPU ms/obj', 'requests', 'time ÷ ours', '× fastest peer', '× ceiling', 'runs (s)'];
	const lines: string[][] = [header];
	for (const row of table.rows) {
		const wall = wallOf(row);
		const seconds = wall / 1000;
		const cpu = medianOf(row, (s) => s.cpuMs);
		const runs = row.samples.map((s) => (s.wallMs / 1000).toFixed(2)).join(' ');
		const failed = row.failures.length > 0 ? ` FAILED×${row.failures.length}` : '';
		lines.push([
			row.ceiling ? `${row.tool} (limit)` : row.tool,
			fmt(seconds),
			fmt(table.objects / seconds, 0),
			fmt(table.bytes / MB / seconds, 1),
			fmt(medianOf(row, (s) => s.rssBytes) / (1024 * 1024), 0),
			fmt(cpu / 1000),
			fmt(cpu / table.objects, cpu / table.objects < 10 ? 2 : 0),
			fmt(medianOf(row, (s) => s.requests ?? Number.NaN), 0),
			row.tool === OURS ? '1.00' : fmt(wall / ours),
			fmt(fastest / wall),
			fmt(ceiling / wall),
			runs + failed,
		]);
	}
	const notes = table.rows.flatMap((r) => [...(r.note ? [`  ${r.tool}: ${r.note}`] : []), ...r.failures.map((f) => `  ${r.tool} failed: ${f}`)]);
	return [`${table.title}  [${table.objects} objects, ${(table.bytes / MB).toFixed(1)} MB]`, pad(lines), cpuPerObject(table), ...notes].join('\n');
}

/** Issue 17's per-set line: CPU time per object, ours and the fastest peer's (GNU time's user + system, waited-for children included). */
export function cpuPerObject(table: Table): string {
	const per = (row: Row | undefined) => medianOf(row, (s) => s.cpuMs) / table.objects;
	const unit = (ms: number) => (ms < 10 ? `${fmt(ms, 2)} ms` : `${fmt(ms, 0)} ms`);
	const peer = fastestPeer(table);
	const ours = per(table.rows.find((r) => r.tool === OURS));
	return `  CPU per object: ${OURS} ${unit(ours)}; fastest peer ${peer ? `${peer.tool} ${unit(per(peer))}` : '-'}`;
}

export interface Target {
	name: string;
	met: boolean | undefined;
	detail: string;
}

/** Sets (a)-(c): the bar is the lower of the two, so either one met is enough. */
export const PEER_FACTOR = 1.25;
/** "Within 10 % of the ceiling": at least 90 % of its speed (ceiling time ÷ ours ≥ 0.90). */
export const CEILING_SHARE = 0.9;

export function transferTarget(table: Table): Target {
	const ours = wallOf(table.rows.find((r) => r.tool === OURS));
	const peer = fastestPeer(table);
	const peerRatio = wallOf(peer) / ours;
	const ceilingRatio = wallOf(ceilingOf(table)) / ours;
	const byPeer = Number.isFinite(peerRatio) ? peerRatio >= PEER_FACTOR : undefined;
	const byCeiling = Number.isFinite(ceilingRatio) ? ceilingRatio >= CEILING_SHARE : undefined;
	const met = byPeer === true || byCeiling === true ? true : byPeer === undefined && byCeiling === undefined ? undefined : false;
	const how = met ? ` (met by ${[byPeer ? 'peer' : '', byCeiling ? 'ceiling' : ''].filter(Boolean).join(' and ')})` : '';
	return {
		name: `${table.key}: ≥${PEER_FACTOR}× the fastest peer or ≥${CEILING_SHARE}× the ceiling`,
		met,
		detail: `ours ${fmt(ours / 1000)} s; fastest peer ${peer ? `${peer.tool} ${fmt(wallOf(peer) / 1000)} s` : '-'} (peer ÷ ours ${fmt(peerRatio)}); ceiling ${fmt(wallOf(ceilingOf(table)) / 1000)} s (ceiling ÷ ours ${fmt(ceilingRatio)})${how}`,
	};
}

/** Set (d): against s3cmd and against the faster of the rclone configurations. */
export function resyncTargets(table: Table, rcloneIds: readonly string[]): Target[] {
	const ours = wallOf(table.rows.find((r) => r.tool === OURS));
	const s3cmd = wallOf(table.rows.find((r) => r.tool === 's3cmd'));
	const rclones = table.rows.filter((r) => rcloneIds.includes(r.tool) && r.samples.length > 0);
	const rclone = rclones.length > 0 ? rclones.reduce((a, b) => (wallOf(a) <= wallOf(b) ? a : b)) : undefined;
	const ceiling = wallOf(ceilingOf(table)) / ours;
	const target = (name: string, peer: string, peerMs: number, factor: number): Target => {
		const ratio = peerMs / ours;
		return {
			name: `${table.key}: ≥${factor}× ${name}`,
			met: Number.isFinite(ratio) ? ratio >= factor : undefined,
			detail: `${peer} ${fmt(peerMs / 1000)} s vs ours ${fmt(ours / 1000)} s (${peer} ÷ ours ${fmt(ratio)}; ceiling ÷ ours ${fmt(ceiling)})`,
		};
	};
	return [target('s3cmd', 's3cmd', s3cmd, 3), target('rclone (the faster variant)', rclone?.tool ?? 'rclone', wallOf(rclone), 2)];
}

export function rssTarget(table: Table, limitMB: number): Target {
	const samples = table.rows.find((r) => r.tool === OURS)?.samples ?? [];
	const rss = median(samples.map((s) => s.rssBytes));
	// Every run must stay under the limit, not just the median: memory is a ceiling, not an average.
	const worst = samples.length > 0 ? Math.max(...samples.map((s) => s.rssBytes)) : Number.NaN;
	return {
		name: `${table.key}: peak RSS ≤ ${limitMB} MB`,
		met: Number.isFinite(worst) ? worst <= limitMB * 1024 * 1024 : undefined,
		detail: `ours median ${fmt(rss / 1048576, 0)} MB, worst run ${fmt(worst / 1048576, 0)} MB`,
	};
}

/** A time that must stay at or under a limit (start-up, fixed cost). */
export function timeTarget(name: string, ms: number, limitMs: number, extra: string): Target {
	return { name: `${name} ≤ ${limitMs} ms`, met: Number.isFinite(ms) ? ms <= limitMs : undefined, detail: `${fmt(ms, 0)} ms${extra ? ` (${extra})` : ''}` };
}

export function renderTargets(targets: Target[]): string {
	const mark = (t: Target) => (t.met === undefined ? 'n/a   ' : t.met ? 'MET   ' : 'MISSED');
	const met = targets.filter((t) => t.met).length;
	return [...targets.map((t) => `  ${mark(t)}  ${t.name} — ${t.detail}`), `  ${met} of ${targets.length} met`].join('\n');
}
