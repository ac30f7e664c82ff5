/**
 * A Lambda durable function whose first step returns about 2 MB of rows, eight
 * times what one checkpoint may hold (262,144 bytes). With `s3Serdes()` as the
 * default serdes, the rows go to S3 under the durable prefix and the
 * checkpoint holds a reference of about 500 bytes; after the `wait`, the next
 * invocation replays the step from that reference and gets the rows back
 * whole. Bucket and prefix come from the environment that
 * `SpillBucket.connectDurable()` sets (`S3_SPILL_BUCKET`, `S3_DURABLE_PREFIX`).
 */
import { type DurableContext, withDurableExecution } from '@aws/durable-execution-sdk-js';
import { s3Serdes } from 'lambda-s3-spill/offload';

/** One row of the report. */
export interface Row {
  readonly id: number;
  readonly name: string;
  readonly value: number;
}

/** About 2 MB of JSON: 44,000 rows. */
export function loadRows(): Row[] {
  return Array.from({ length: 44_000 }, (_, id) => ({ id, name: `row-${id}-${'x'.repeat(12)}`, value: (id * 7919) % 10_007 }));
}

const serdes = s3Serdes();

/** The workflow: load the rows (stored in S3), wait a minute, summarize them (small: inline). */
export async function reportWorkflow(_event: unknown, context: DurableContext): Promise<{ rows: number; total: number }> {
  context.configureSerdes({ defaultSerdes: serdes });
  const rows = await context.step('load the rows', async () => loadRows());
  await context.wait({ seconds: 60 });
  return context.step('summarize', async () => ({ rows: rows.length, total: rows.reduce((sum, row) => sum + row.value, 0) }));
}

export const handler = withDurableExecution(reportWorkflow);
