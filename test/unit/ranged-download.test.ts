import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ObjectHttp } from '../../source/cluster/object-http.js';
import { downloadRanged, RANGE_BYTES, RangesIgnored } from '../../source/steps/gateway/ranged-download.js';
import { ShortTransfer } from '../../source/steps/gateway/retry.js';
import { StreamSlots } from '../../source/util/slots.js';

// Several ranges and a short last one.
const object = randomBytes(3 * RANGE_BYTES + 12_345);
const sha256 = createHash('sha256').update(object).digest('hex');

let server: http.Server;
let endpoint: string;
let folder: string;
let served: string[] = [];
/** Changes one answer: return true when it answered. */
let fault: (start: number, res: http.ServerResponse, count: number) => boolean = () => false;

before(async () => {
	folder = await mkdtemp(join(tmpdir(), 'ranged-'));
	server = http.createServer((req, res) => {
		const range = /^bytes=(\d+)-(\d+)$/.exec(String(req.headers.range ?? ''));
		served.push(String(req.headers.range));
		if (!range) {
			res.writeHead(200, { 'Content-Length': object.length, ETag: '"e1"' });
			return res.end(object);
		}
		const start = Number(range[1]);
		const end = Number(range[2]);
		if (fault(start, res, served.filter((r) => r === req.headers.range).length)) return;
		res.writeHead(206, { 'Content-Length': end - start + 1, 'Content-Range': `bytes ${start}-${end}/${object.length}`, ETag: '"e1"' });
		res.end(object.subarray(start, end + 1));
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
	server.close();
	await rm(folder, { recursive: true, force: true });
});

function download(path: string, progress: number[] = []) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
	const http_ = new ObjectHttp({ endpoint, accessKey: 'AK', secretKey: 'SK', signatureVersion: 2, agent, concurrency: 8, idleTimeoutMs: 5_000 });
	return downloadRanged({ http: http_, bucket: 'b', key: 'k', size: object.length, path, slots: new StreamSlots(3), onBytes: (delta) => progress.push(delta) }).finally(() => agent.destroy());
}

test('an object in ranges lands whole, hashed in order, each range asked for once', async () => {
	served = [];
	fault = () => false;
	const path = join(folder, 'plain');
	const progress: number[] = [];
	const result = await download(path, progress);
	assert.equal(result.sha256, sha256);
	assert.equal(result.etag, 'e1');
	assert.ok((await readFile(path)).equals(object));
	assert.equal(progress.reduce((a, b) => a + b, 0), object.length);
	assert.deepEqual(served.sort(), [0, 1, 2, 3].map((i) => `bytes=${i * RANGE_BYTES}-${Math.min(object.length, (i + 1) * RANGE_BYTES) - 1}`).sort());
});

test('a range cut short is fetched again alone; progress stays true', async () => {
	served = [];
	fault = (start, res, count) => {
		if (start !== RANGE_BYTES || count > 1) return false;
		res.writeHead(206, { 'Content-Length': RANGE_BYTES, 'Content-Range': `bytes ${start}-${start + RANGE_BYTES - 1}/${object.length}`, ETag: '"e1"' });
		res.write(object.subarray(start, start + 1000));
		res.destroy();
		return true;
	};
	const path = join(folder, 'cut');
	const progress: number[] = [];
	const result = await download(path, progress);
	assert.equal(result.sha256, sha256);
	assert.ok((await readFile(path)).equals(object));
	assert.equal(progress.reduce((a, b) => a + b, 0), object.length);
	assert.equal(served.filter((r) => r.startsWith(`bytes=${RANGE_BYTES}-`)).length, 2);
	assert.equal(served.length, 5);
});

test('ranges from two versions of the object are refused', async () => {
	fault = (start, res) => {
		if (start !== 2 * RANGE_BYTES) return false;
		const end = start + RANGE_BYTES - 1;
		res.writeHead(206, { 'Content-Length': RANGE_BYTES, 'Content-Range': `bytes ${start}-${end}/${object.length}`, ETag: '"e2"' });
		res.end(object.subarray(start, end + 1));
		return true;
	};
	// Whichever range answers first sets the ETag the others must have.
	await assert.rejects(download(join(folder, 'changed')), (error: unknown) => error instanceof ShortTransfer && /changed on the gateway/.test((error as Error).message));
});

test('a gateway that ignores Range (200, the whole object) is told apart, so the caller can fetch it whole', async () => {
	fault = (_start, res) => {
		res.writeHead(200, { 'Content-Length': object.length, ETag: '"e1"' });
		res.end(object);
		return true;
	};
	await assert.rejects(download(join(folder, 'ignored')), RangesIgnored);
});
