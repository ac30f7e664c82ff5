/**
 * The two functions of the offload sample's state machine. `produce` returns
 * about 1 MB of rows, four times what a Step Functions state may carry
 * (262,144 bytes): `s3Offload()` stores it in S3 and returns a reference.
 * `consume` receives that reference as its event; `s3Offload()` resolves it
 * before the handler runs, so the handler gets the rows whole. Bucket and
 * prefix come from the environment that `SpillBucket.connectOffload()` sets.
 */
import middy from '@middy/core';
import { s3Offload, STEP_FUNCTIONS_STATE_MAX_BYTES } from 'lambda-s3-spill/offload';

/** One row of the report. */
export interface Row {
  readonly id: number;
  readonly name: string;
  readonly value: number;
}

/** About 1 MB of JSON: 20,000 rows. */
export async function report(): Promise<{ rows: Row[] }> {
  return { rows: Array.from({ length: 20_000 }, (_, id) => ({ id, name: `row-${id}-${'x'.repeat(12)}`, value: (id * 7919) % 10_007 })) };
}

/** What the second function makes of the rows (small: it stays inline). */
export async function summarize(event: { rows: Row[] }): Promise<{ rows: number; total: number }> {
  return { rows: event.rows.length, total: event.rows.reduce((sum, row) => sum + row.value, 0) };
}

export const produce = middy(report).use(s3Offload({ maxBytes: STEP_FUNCTIONS_STATE_MAX_BYTES }));

export const consume = middy(summarize).use(s3Offload({ maxBytes: STEP_FUNCTIONS_STATE_MAX_BYTES }));
