/**
 * The one event type every long step reports through.
 *
 * Steps never print; they call `report(progress)` and let a renderer (Ink,
 * listr2 line output, JSON) decide how to show it. Byte counts drive bars,
 * rates and ETAs; `item` names the object or file currently moving.
 */
export type StageId = 'connect' | 'keys' | 'settings' | 'buckets' | 'volume' | 'database' | 'platform' | 'router' | 'controller' | 'verify' | 'start';

export interface Progress {
	stage: StageId;
	/** What is moving right now: an object key, a file name. */
	item?: string;
	bytesDone: number;
	/** Unknown for streams whose size the remote side does not tell (tar, pg_dumpall). */
	bytesTotal?: number;
	itemsDone?: number;
	itemsTotal?: number;
	/** A short human note ("scaling gateways to 3", "tar: file changed as we read it"). */
	message?: string;
	level?: 'info' | 'warn';
}

export type Report = (progress: Progress) => void;

export const silent: Report = () => {};
