/**
 * The gateway's ceiling: the least a client can do to move a data set through
 * the router. Node's http with a keep-alive agent, AWS signature v2 (the
 * tool's own signer: what a Deis v1 gateway accepts, one HMAC-SHA1 a request
 * and no payload hash), 32 requests in flight, bodies drained (GET) or sent
 * from memory (PUT): no disk, no listing, no checksums. For the no-change
 * re-sync (d) the floor is one ListObjects v1 pass over the bucket, paged by
 * marker (the gateway has no ListObjectsV2).
 *
 *   npx tsx bench/ceiling.ts get|put|list SET BUCKET [INFLIGHT]
 *
 * Prints one JSON line: the time from the first request to the last answer.
 */
import http from 'node:http';
import { Readable } from 'node:stream';
import { escapePath } from '../source/cluster/object-http.js';
import { signingHeaders } from '../source/cluster/signature-v2.js';
import { dataSets, objectBody, type BenchObject } from './lib/data.js';
import { readClusterEnv, ROUTER_HOST, ROUTER_PORT } from './lib/env.js';

const [op, setId, bucket, inflightArg] = process.argv.slice(2);
if (!op || !setId || !bucket || !['get', 'put', 'list'].includes(op)) {
	console.error('usage: ceiling.ts get|put|list SET BUCKET [INFLIGHT]');
	process.exit(2);
}
const set = dataSets().find((s) => s.id === setId);
if (!set) throw new Error(`no data set ${setId}`);
const inflight = Number(inflightArg ?? 32);
const env = readClusterEnv();
const keys = { accessKey: env.keys.accessKey, secretKey: env.keys.secretKey };
const agent = new http.Agent({ keepAlive: true, maxSockets: inflight });

/** GET bodies are only counted (drained), except listings (keepBody) and errors. */
async function request(method: string, path: string, query: Record<string, string>, body?: Buffer | Readable, length = 0, keepBody = false): Promise<{ status: number; text: string; bytes: number }> {
	const headers: Record<string, string> = { host: ROUTER_HOST };
	if (method === 'PUT') headers['content-length'] = String(length);
	Object.assign(headers, signingHeaders(keys, { method, path, query, headers }));
	// encodeURIComponent, not URLSearchParams: a marker with a space must go as %20, never '+'.
	const search = Object.entries(query)
		.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
		.join('&');
	return new Promise((resolvePromise, reject) => {
		const req = http.request({ host: '127.0.0.1', port: ROUTER_PORT, method, path: search ? `${path}?${search}` : path, headers, agent }, (res) => {
			let bytes = 0;
			const keep = keepBody || method !== 'GET' || res.statusCode !== 200;
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => {
				bytes += chunk.length;
				if (keep) chunks.push(chunk);
			});
			res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), bytes }));
			res.on('error', reject);
		});
		req.on('error', reject);
		if (body instanceof Readable) body.pipe(req);
		else req.end(body);
	});
}

async function pool(items: readonly BenchObject[], work: (item: BenchObject) => Promise<void>): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < items.length) await work(items[next++] as BenchObject);
	};
	await Promise.all(Array.from({ length: Math.min(inflight, items.length) }, worker));
}

if (op === 'put') objectBody(set.objects[0] as BenchObject); // the content pool is made before the clock starts
const started = process.hrtime.bigint();
let requests = 0;
let moved = 0;
if (op === 'list') {
	let marker: string | undefined;
	let listed = 0;
	for (;;) {
		const query: Record<string, string> = { 'max-keys': '1000' };
		if (marker !== undefined) query.marker = marker;
		const page = await request('GET', `/${bucket}`, query, undefined, 0, true);
		requests++;
		if (page.status !== 200) throw new Error(`LIST ${bucket}: HTTP ${page.status} ${page.text.slice(0, 200)}`);
		const keys = [...page.text.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => unescapeXml(m[1] as string));
		listed += keys.length;
		if (!/<IsTruncated>true<\/IsTruncated>/.test(page.text)) break;
		// NextMarker only comes with a delimiter; otherwise the page's last key is where the next one starts.
		const next = unescapeXml(/<NextMarker>([^<]+)<\/NextMarker>/.exec(page.text)?.[1] ?? '') || keys.at(-1);
		if (next === undefined || next === marker) throw new Error(`LIST ${bucket}: truncated after ${listed} keys with no marker to go on from`);
		marker = next;
	}
	// A short count would make the floor look faster than it is.
	if (listed !== set.objects.length) throw new Error(`LIST ${bucket}: ${listed} keys, expected ${set.objects.length}`);
} else {
	await pool(set.objects, async (object) => {
		const path = `/${bucket}/${escapePath(object.key)}`;
		const answer = op === 'get' ? await request('GET', path, {}) : await request('PUT', path, {}, objectBody(object), object.size);
		requests++;
		if (answer.status !== 200) throw new Error(`${op.toUpperCase()} ${path}: HTTP ${answer.status} ${answer.text.slice(0, 200)}`);
		moved += op === 'get' ? answer.bytes : object.size;
	});
}
const ms = Number(process.hrtime.bigint() - started) / 1e6;

function unescapeXml(text: string): string {
	return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name] as string);
}
agent.destroy();
console.log(JSON.stringify({ ceiling: { op, set: set.id, ms, requests, bytes: moved } }));
