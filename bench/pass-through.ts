/**
 * 1. Pass-through: what `s3Spill` costs a response that fits, against the floor
 * any Middy middleware pays (the same handler with a no-op async `after`).
 */
import middy from '@middy/core';
import type { S3Client } from '@aws-sdk/client-s3';
import { s3Spill } from '../src/index.js';
import { payloadBytesUpperBound } from '../src/sizing/payload-bytes.js';
import { CONTEXT, EVENT, LIMIT, quietLogger, result, resultWithBody, sizeName, type BodyKind } from './fixtures.js';
import { addedRatioOf, fmtRatio, fmtRatioSpread, fmtTime, fmtTimeSpread, measure, ratioOf, table, timeOf, type TaskSpec } from './harness.js';
import { countStringify, type Section, type Target } from './section.js';

/** Results of 1 KB and 1 MB, bodies of 1, 2 and 4 MiB (their JSON string), a result just under the limit. */
const SIZES: readonly { bytes: number; of: 'result' | 'body' }[] = [
  { bytes: 1_000, of: 'result' },
  { bytes: 1_000_000, of: 'result' },
  { bytes: 1_048_576, of: 'body' },
  { bytes: 2_097_152, of: 'body' },
  { bytes: 4_194_304, of: 'body' },
  { bytes: 6_200_000, of: 'result' },
];
const KINDS: readonly BodyKind[] = ['json', 'base64'];

export async function passThrough(client: S3Client, bucket: string): Promise<Section> {
  const rows: string[][] = [];
  const targets: Target[] = [];
  for (const size of SIZES) {
    for (const kind of KINDS) {
      const response = size.of === 'body' ? resultWithBody(kind, size.bytes) : result(kind, size.bytes);
      const handler = async (): Promise<unknown> => response;
      const floor = middy(handler).use({ after: async () => {} });
      const spill = middy(handler).use(s3Spill({ bucket, s3Client: client, logger: quietLogger() }));
      const walk = middy(handler).use({
        after: async (request) => {
          if (enumerate(request.response) > LIMIT) throw new Error('over');
        },
      });
      const naive = middy(handler).use({
        after: async (request) => {
          if (Buffer.byteLength(JSON.stringify(request.response)) > LIMIT) throw new Error('over');
        },
      });
      // The response must pass untouched (and it fits: no upload).
      const out = await spill(EVENT, CONTEXT);
      if (out !== response) throw new Error(`pass-through ${kind} ${size}: the response was replaced`);
      const serializations = await countStringify(() => spill(EVENT, CONTEXT));

      const tasks: TaskSpec[] = [
        { name: 'bare', fn: () => handler() },
        { name: 'floor', fn: () => floor(EVENT, CONTEXT) },
        { name: 's3Spill', fn: () => spill(EVENT, CONTEXT) },
        { name: 'walk', fn: () => walk(EVENT, CONTEXT) },
        { name: 'naive', fn: () => naive(EVENT, CONTEXT) },
        { name: 'stringify', fn: () => JSON.stringify(response) },
      ];
      const m = await measure(tasks, { rounds: 5, time: 100, iterations: 5, warmupTime: 100 });
      const ratio = ratioOf(m, 's3Spill', 'floor');
      const naiveRatio = ratioOf(m, 'naive', 'floor');
      const walkRatio = ratioOf(m, 'walk', 'floor');
      const added = addedRatioOf(m, 's3Spill', 'floor', 'stringify');
      const label = `${size.of} ${sizeName(size.bytes)}, ${kind === 'json' ? 'string (JSON text)' : 'base64'}`;
      // Where the upper bound cannot prove the fit, the body is counted exactly: the target is then against one JSON.stringify.
      const nearLimit = payloadBytesUpperBound(response) > LIMIT;
      const met = nearLimit ? added.median < 1 : ratio.median <= 1.05;
      rows.push([
        label,
        fmtTimeSpread(timeOf(m, 'bare')),
        fmtTimeSpread(timeOf(m, 'floor')),
        fmtTimeSpread(timeOf(m, 's3Spill')),
        fmtRatioSpread(ratio),
        nearLimit ? '–' : fmtRatioSpread(walkRatio),
        fmtRatioSpread(naiveRatio),
        fmtTimeSpread(timeOf(m, 'stringify')),
        fmtRatioSpread(added),
        String(serializations),
      ]);
      targets.push(
        nearLimit
          ? {
              figure: `1. pass-through ${label}`,
              target: 'added cost < one JSON.stringify(result)',
              measured: `${fmtRatio(added.median)} of one JSON.stringify`,
              met,
            }
          : {
              figure: `1. pass-through ${label}`,
              target: '≤ 1.05× the no-op floor, 0 serializations',
              measured: `${fmtRatio(ratio.median)}, ${serializations} JSON.stringify (a bare walk of the response's properties: ${fmtRatio(walkRatio.median)})`,
              met: met && serializations === 0,
              why: whyPassThrough(timeOf(m, 'floor').median, ratio.median, walkRatio.median),
            },
      );
    }
  }
  return {
    title: '1. Pass-through (the response fits)',
    what:
      'One Middy invocation, per call. Floor: the same handler with a no-op `after: async () => {}`. ' +
      'Naive: an `after` that checks `Buffer.byteLength(JSON.stringify(response))`. ' +
      'Bare property walk: an `after` that only visits every property of the response (key lengths, string lengths), the least any sound size bound must do without serializing. ' +
      'Sizes in bytes (KB and MB = 10^3 and 10^6, MiB = 2^20): of the serialized result (what Lambda counts), or of the body\'s JSON string for the MiB rows. The last column counts `JSON.stringify` calls made by `s3Spill` in one invocation.',
    table: table(
      [
        'result',
        'bare handler',
        'middy + no-op `after` (floor)',
        'middy + `s3Spill`',
        '**s3Spill / floor**',
        'bare property walk / floor',
        'naive check / floor',
        'one `JSON.stringify(result)`',
        '(s3Spill − floor) / `JSON.stringify`',
        '`JSON.stringify` calls',
      ],
      rows,
    ),
    notes: [
      'Up to about 1 MB the upper bound (6 bytes per UTF-16 code unit, so bodies up to about a sixth of the limit: 1,048,000 code units) proves the fit: no serialization, no scan of the body. A 1 MiB body of JSON text has about 864,000 code units (its escapes take bytes): the bound still proves it.',
      'From a body of about 1,048,000 code units to the limit the bound cannot decide: the body is counted exactly without building the escaped JSON (see 2. Sizing alone); the one `JSON.stringify` call is the envelope with an empty body.',
    ],
    targets,
  };
}

/** Visit every property and string length of a value: the least a sound size bound must do. */
function enumerate(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (typeof value !== 'object' || value === null) return 1;
  let n = 0;
  for (const key in value) n += key.length + enumerate((value as Record<string, unknown>)[key]);
  return n;
}

/** Why the 5 % target is out of reach: the floor's 5 % in ns, against what a walk of the response alone adds. */
function whyPassThrough(floor: number, spillRatio: number, walkRatio: number): string {
  return (
    `the floor is ${fmtTime(floor)}, so 5 % is ${fmtTime(floor * 0.05)}; \`s3Spill\` adds about ${fmtTime((spillRatio - 1) * floor)}, ` +
    `and a bare walk of the response's properties (the least any sound size bound does) already adds about ${fmtTime((walkRatio - 1) * floor)}`
  );
}
