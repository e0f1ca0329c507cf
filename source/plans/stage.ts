/**
 * One stage of a plan, run and recorded: how it ended is what the summary's
 * failed stage, the backup manifest's steps and the restore journal are made
 * of. Both plans record through this, so a stage that throws is always named.
 */
import type { StageId } from '../progress.js';

export interface StageRecord {
	/** The stage finished (a backup notes it in the manifest; a restore journals it). */
	done?: (id: StageId) => void;
	/** The stage threw; the error goes on to stop the run. */
	failed: (id: StageId, error: unknown) => void;
}

export async function runStage<T>(id: StageId, record: StageRecord, work: () => Promise<T>): Promise<T> {
	let value: T;
	try {
		value = await work();
	} catch (error) {
		record.failed(id, error);
		throw error;
	}
	record.done?.(id);
	return value;
}
