import { startDemoCluster } from '/work/main/source/demo/cluster.ts';
import { S3Client, PutObjectCommand, ListObjectsV2Command, GetObjectCommand } from '@aws-sdk/client-s3';
import { execSync } from 'node:child_process';
const root = '/tmp/rel/k' + Date.now();
const s = await startDemoCluster({ root, mode: 'source' });
const s3 = new S3Client({ endpoint: s.connection.storeEndpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: s.gatewayKeys.accessKey, secretAccessKey: s.gatewayKeys.secretKey } });
const keys = ['../escape', 'a/../../b', '/leading', 'double//slash', 'ctl\x01char', 'nl\nkey', 'tab\tkey', 'pct%2Fkey', 'p', 'p/q', 'x'.repeat(230), ('seg/').repeat(150) + 'end', 'sp ace', 'uni\u00e9', 'trail/', '.', 'a/./b', 'q?x=1#f', 'del\x7f'];
for (const k of keys) {
  try { await s3.send(new PutObjectCommand({ Bucket: 'registry', Key: k, Body: 'body of ' + JSON.stringify(k) })); console.log('put ok', JSON.stringify(k).slice(0,60)); }
  catch (e: any) { console.log('put fail', JSON.stringify(k).slice(0,60), e.name, e.message.slice(0,100)); }
}
try {
  const l = await s3.send(new ListObjectsV2Command({ Bucket: 'registry', MaxKeys: 1000 }));
  const got = new Set(l.Contents!.map(c => c.Key));
  for (const k of keys) console.log(got.has(k) ? 'listed' : 'NOT listed', JSON.stringify(k).slice(0,60));
  for (const c of l.Contents!) if (!c.Key!.startsWith('images/') && !c.Key!.startsWith('repositories/')) console.log('  listing has', JSON.stringify(c.Key).slice(0, 80));
} catch (e: any) { console.log('list fail', e.name, e.message); }
for (const k of keys) {
  try { const r = await s3.send(new GetObjectCommand({ Bucket: 'registry', Key: k })); const b = await r.Body!.transformToString(); console.log(b === 'body of ' + JSON.stringify(k) ? 'get ok' : 'get WRONG ' + b, JSON.stringify(k).slice(0,40)); }
  catch (e: any) { console.log('get fail', JSON.stringify(k).slice(0,60), e.name); }
}
console.log(execSync(`find ${root} -maxdepth 3 | grep -v images | head -40`).toString());
await s.stop();
