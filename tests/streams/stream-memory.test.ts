/**
 * A 1 GiB stream body through `withS3Spill`, in a child process of its own
 * (`bench/stream-rss-case.ts`): answered `303`, the object 1 GiB, and the RSS
 * growth during the invocation within the threshold (6,291,556) plus
 * `2 × queueSize × partSize` (what `Upload` holds) plus 64 MiB, in a warm
 * process (an earlier 100 MB export loaded the SDK and grew V8's young
 * generation). A body held whole would need 1 GiB.
 */
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { useLocalS3 } from '../support/local-s3.js';
import { NODE_22 } from '../support/node-binaries.js';

const run = promisify(execFile);
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const PART = 5 * MiB;
const QUEUE = 4;

const s3 = useLocalS3('stream-memory');

interface Case {
  status: number;
  growth: number;
  resetPeak: boolean;
}

async function child(mode: string): Promise<Case> {
  const script = new URL('../../bench/stream-rss-case.ts', import.meta.url).pathname;
  const { stdout } = await run(NODE_22, ['--expose-gc', '--import', 'tsx', script, s3.endpoint, s3.bucket, String(GiB), String(PART), String(QUEUE), mode], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Case;
}

it('spills a 1 GiB stream with bounded memory: 303, one 1 GiB object, RSS growth within the bound', async () => {
  const spilled = await child('spill');
  expect(spilled.status).toBe(303);
  const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
  const big = (listed.Contents ?? []).filter((o) => o.Size === GiB);
  expect(big).toHaveLength(1);
  const head = await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: big[0]!.Key! }));
  expect(head.ContentType).toBe('text/csv');
  expect(spilled.growth).toBeLessThanOrEqual(6_291_556 + 2 * QUEUE * PART + 64 * MiB);
}, 300_000);
