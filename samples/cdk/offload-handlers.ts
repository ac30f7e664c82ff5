/**
 * The two functions of the offload sample's state machine. `produce` returns
 * a small control field (`status`) next to about 1 MB of rows (`items`), four
 * times what a Step Functions state may carry (262,144 bytes):
 * `s3Offload({ paths: ['$.items'] })` stores only the rows in S3 and puts a
 * reference in their place, so a `Choice` state can still branch on
 * `$.status`. `consume` receives that state as its event; `s3Offload()`
 * resolves the reference before the handler runs, so the handler gets the rows
 * whole. Bucket and prefix come from the environment that
 * `SpillBucket.connectOffload()` sets.
 */
import middy from '@middy/core';
import { s3Offload, STEP_FUNCTIONS_STATE_MAX_BYTES } from 'lambda-s3-spill/offload';

/** One row of the report. */
export interface Row {
  readonly id: number;
  readonly name: string;
  readonly value: number;
}

/** The report: a control field the state machine branches on, and the rows. */
export interface Report {
  readonly status: 'READY' | 'EMPTY';
  readonly items: Row[];
}

/** About 1 MB of JSON: 20,000 rows (none when the event asks for `{ "empty": true }`). */
export async function report(event: { empty?: boolean } = {}): Promise<Report> {
  const count = event.empty === true ? 0 : 20_000;
  const items = Array.from({ length: count }, (_, id) => ({ id, name: `row-${id}-${'x'.repeat(12)}`, value: (id * 7919) % 10_007 }));
  return { status: items.length === 0 ? 'EMPTY' : 'READY', items };
}

/** What the second function makes of the rows (small: it stays inline). */
export async function summarize(event: Report): Promise<{ rows: number; total: number }> {
  return { rows: event.items.length, total: event.items.reduce((sum, row) => sum + row.value, 0) };
}

export const produce = middy(report).use(s3Offload({ maxBytes: STEP_FUNCTIONS_STATE_MAX_BYTES, paths: ['$.items'] }));

export const consume = middy(summarize).use(s3Offload({ maxBytes: STEP_FUNCTIONS_STATE_MAX_BYTES }));
