import { startMemoryGateway } from '../harness/memory-gateway.ts';
import { S3Client, PutObjectCommand, ListObjectsV2Command, GetObjectCommand, CreateBucketCommand, HeadBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
const g = await startMemoryGateway('AK');
const s3 = new S3Client({ endpoint: g.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' }, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
await s3.send(new CreateBucketCommand({ Bucket: 'registry' }));
await s3.send(new HeadBucketCommand({ Bucket: 'registry' }));
const keys = ['../escape', 'a/../../b', '/leading', 'double//slash', 'ctl\x01char', 'nl\nkey', 'cr\rkey', 'tab\tkey', 'pct%2Fkey', 'p', 'p/q', 'x'.repeat(300), ('seg/').repeat(200) + 'end', 'sp ace', 'uni\u00e9', 'trail/', '.', '..', 'a/./b', 'q?x=1#f', 'del\x7f', '_keys/abc', 'a\\b', 'amp&<>"\'', 'x.part-deadbeef', ' lead space', 'emoji😀'];
for (const k of keys) await s3.send(new PutObjectCommand({ Bucket: 'registry', Key: k, Body: 'body of ' + JSON.stringify(k) }));
const l = await s3.send(new ListObjectsV2Command({ Bucket: 'registry', MaxKeys: 5 }));
console.log(l.IsTruncated, l.NextContinuationToken);
let all: string[] = []; let token: string|undefined;
do { const p = await s3.send(new ListObjectsV2Command({ Bucket: 'registry', MaxKeys: 7, ContinuationToken: token })); all.push(...p.Contents!.map(c=>c.Key!)); token = p.IsTruncated ? p.NextContinuationToken : undefined; } while (token);
for (const k of keys) { const got = all.includes(k); const r = await s3.send(new GetObjectCommand({ Bucket: 'registry', Key: k })); const b = await r.Body!.transformToString(); console.log(got ? 'listed' : 'NOT', b === 'body of ' + JSON.stringify(k) ? 'get ok' : 'get WRONG', JSON.stringify(k).slice(0, 50)); }
console.log(all.length, keys.length, (await s3.send(new ListBucketsCommand({}))).Buckets);
console.log(g.requests.slice(0,5));
await g.close();
