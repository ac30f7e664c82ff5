import { withS3Spill } from 'lambda-s3-spill';
import { exportRows } from './export.js';

// A streaming function (Function URL RESPONSE_STREAM, or REST API responseTransferMode STREAM).
// Up to 8 MB is held before the prelude: a shorter export is streamed; a longer one is spilled
// and answered 303, since past its first 6 MB Lambda streams at most 2 MB/s.
export const handler = withS3Spill(
  async () => ({ statusCode: 200, headers: { 'Content-Type': 'text/csv' }, body: exportRows(1_000_000) }),
  { streaming: true, streamSpillBytes: 8_000_000 },
);
