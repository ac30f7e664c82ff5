/**
 * The sample function: a CSV report far larger than Lambda's 6 MB response
 * limit. `s3Spill()` uploads it to the spill bucket and answers 303 See Other
 * with a presigned URL; bucket and prefix come from the environment that
 * `SpillBucket.connect()` (CDK) or the template (SAM) sets.
 */
import middy from '@middy/core';
import { s3Spill } from 'lambda-s3-spill';

const report = async () => ({
  statusCode: 200,
  headers: { 'content-type': 'text/csv' },
  body: ['id,value', ...Array.from({ length: 500_000 }, (_, i) => `${i},${(i * 7919) % 10_007}`)].join('\n'),
});

export const handler = middy(report).use(s3Spill());
