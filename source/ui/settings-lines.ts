/**
 * The settings preview as lines of text: the plain output prints them, the
 * wizard's picker labels its rows with them. Values come already masked
 * from the plan (steps/settings/display.ts).
 */
import type { RowStatus, SettingRow, SettingsPlan } from '../steps/settings/plan.js';

export const STATUS_WORD: Record<RowStatus, string> = {
	new: 'new',
	same: 'same, skipped',
	different: 'different',
	never: 'never copied',
};

/** `router/sslCert  PEM CERTIFICATE, 1234 bytes — note`. */
export function rowText(row: SettingRow): string {
	const name = row.count && row.count > 1 ? `${row.key} and ${row.count - 1} more` : row.key;
	const renamed = row.from ? ` (was ${row.from})` : '';
	const value = row.count ? '' : row.current !== undefined ? `  ${row.shown} (new cluster: ${row.current})` : row.shown ? `  ${row.shown}` : '';
	return `${name}${renamed}${value}${row.note ? ` — ${row.note}` : ''}`;
}

function mark(row: SettingRow, chosen: boolean): string {
	if (!row.choosable) return '   ';
	return chosen ? '[x]' : '[ ]';
}

/** The whole table, rows grouped by status in the order an operator decides on them. */
export function settingsLines(plan: SettingsPlan, isChosen: (row: SettingRow) => boolean = (row) => row.chosen): string[] {
	const lines = [`Platform settings: ${plan.upgrade.message}`];
	for (const status of ['new', 'different', 'same', 'never'] as const) {
		const rows = plan.rows.filter((row) => row.status === status);
		if (rows.length === 0) continue;
		lines.push(`  ${STATUS_WORD[status]} (${rows.reduce((sum, row) => sum + (row.count ?? 1), 0)}):`);
		for (const row of rows) lines.push(`    ${mark(row, isChosen(row))} ${rowText(row)}`);
	}
	return lines;
}
