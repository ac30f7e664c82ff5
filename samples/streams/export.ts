import { Readable } from 'node:stream';
import { withS3Spill } from 'lambda-s3-spill';

/** CSV rows, one at a time: the export is never a string in memory. */
export async function* exportRows(count: number): AsyncGenerator<string> {
  yield 'id,name,score\n';
  for (let id = 0; id < count; id++) yield `${id},item ${id},${(id * 7919) % 10_007}\n`;
}

// A buffered function (no response streaming) returning a stream body: read until it ends
// (a small export is answered inline) or cannot fit (the rest goes to S3, the client gets a 303).
export const handler = withS3Spill(async () => ({
  statusCode: 200,
  headers: { 'Content-Type': 'text/csv', 'Content-Disposition': 'attachment; filename="export.csv"' },
  body: Readable.from(exportRows(1_000_000)),
}));
