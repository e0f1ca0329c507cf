import './interactive-terminal.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
	createRateMeter,
	formatBytes,
	formatDuration,
	formatEta,
	formatRate,
	progressLine,
	progressRatio,
	shortenPath,
} from '../../source/ui/format.js';

describe('format', () => {
	it('formats bytes in decimal units with one decimal', () => {
		assert.equal(formatBytes(0), '0 B');
		assert.equal(formatBytes(999), '999 B');
		assert.equal(formatBytes(1000), '1.0 kB');
		assert.equal(formatBytes(1_234_567), '1.2 MB');
		assert.equal(formatBytes(999_960), '1.0 MB');
		assert.equal(formatBytes(40_000_000), '40.0 MB');
		assert.equal(formatBytes(3.5e12), '3.5 TB');
		assert.equal(formatBytes(-1), '? B');
		assert.equal(formatRate(5_100_000), '5.1 MB/s');
	});

	it('formats durations and ETAs like a clock', () => {
		assert.equal(formatDuration(0), '0s');
		assert.equal(formatDuration(6_999), '6s');
		assert.equal(formatDuration(65_000), '1m 05s');
		assert.equal(formatDuration(3_723_000), '1h 02m');
		assert.equal(formatEta(5_200), 'ETA 6s');
		assert.equal(formatEta(65_000), 'ETA 1m 05s');
		assert.equal(formatEta(-5), 'ETA 0s');
	});

	it('shortens long object keys in the middle, keeping the file name', () => {
		assert.equal(shortenPath('registry/a', 48), 'registry/a');
		const key = 'registry/images/0123456789abcdef0123456789abcdef0123456789abcdef/layer';
		const short = shortenPath(key, 30);
		assert.equal(short, 'registry/images/…/layer');
		assert.ok(short.length <= 30);
		const flat = shortenPath('x'.repeat(100), 20);
		assert.equal(flat.length, 20);
		assert.ok(flat.includes('…'));
	});

	it('builds one progress line with the parts it knows', () => {
		const line = progressLine(
			{ stage: 'buckets', bytesDone: 12_300_000, bytesTotal: 40_000_000, itemsDone: 120, itemsTotal: 2000, item: 'registry/images/0123456789abcdef0123456789abcdef/layer' },
			0,
			{ rate: 5_100_000, itemWidth: 30 },
		);
		assert.equal(line, '12.3 MB / 40.0 MB · 5.1 MB/s · ETA 6s · 120/2000 objects · registry/images/…/layer');
		// No total: no ETA; the rate falls back to the average over the elapsed time.
		assert.equal(progressLine({ stage: 'volume', bytesDone: 2_000_000, itemsDone: 4 }, 2000), '2.0 MB · 1.0 MB/s · 4 files');
		assert.equal(progressLine({ stage: 'platform', bytesDone: 0, message: 'scaling gateways to 3' }, 0), 'scaling gateways to 3');
	});

	it('gives the ratio from bytes, else from items', () => {
		assert.equal(progressRatio({ stage: 'buckets', bytesDone: 25, bytesTotal: 100 }), 0.25);
		assert.equal(progressRatio({ stage: 'buckets', bytesDone: 0, itemsDone: 1, itemsTotal: 4 }), 0.25);
		assert.equal(progressRatio({ stage: 'volume', bytesDone: 10 }), undefined);
		assert.equal(progressRatio({ stage: 'buckets', bytesDone: 200, bytesTotal: 100 }), 1);
	});

	it('measures a smoothed rate over a sliding window from injected time', () => {
		const meter = createRateMeter({ windowMs: 2000 });
		assert.equal(meter.rate(), undefined);
		meter.sample(0, 0);
		meter.sample(100, 50);
		assert.equal(meter.rate(), undefined, 'too short a span to say');
		meter.sample(1_000_000, 1000);
		assert.equal(meter.rate(), 1_000_000);
		meter.sample(1_000_000, 1000); // a repeated render adds nothing
		assert.equal(meter.rate(), 1_000_000);
		// A burst then silence: the window keeps the rate from jumping to the burst's speed.
		meter.sample(5_000_000, 2000);
		meter.sample(5_000_000, 3000);
		assert.equal(meter.rate(), (5_000_000 - 1_000_000) / 2);
		assert.equal(meter.etaMs(7_000_000), 1000);
		// Count going backwards means a restart.
		meter.sample(10, 3500);
		assert.equal(meter.rate(), undefined);
		meter.reset();
		assert.equal(meter.etaMs(100), undefined);
	});
});
