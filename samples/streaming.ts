import middy, { executionModeStreamifyResponse } from '@middy/core';
import { s3Spill } from 'lambda-s3-spill';

async function exportRows() {
  const rows = Array.from({ length: 1_000_000 }, (_, i) => `${i},${(i * 7919) % 10_007}`);
  return { statusCode: 200, headers: { 'Content-Type': 'text/csv' }, body: rows.join('\n') };
}

// Middy 7 streams the result (Middy 5 and 6: middy(handler, { streamifyResponse: true })).
// Middy does not show a middleware the stream, so say it: results then pass up to 200 MiB,
// and nothing is answered inline as base64, which a streamed body would send as text.
export const handler = middy(exportRows, { executionMode: executionModeStreamifyResponse }).use(
  s3Spill({ streaming: true }),
);
