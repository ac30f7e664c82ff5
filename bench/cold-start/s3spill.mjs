// Middy + s3Spill with its default options.
import middy from '@middy/core';
import { s3Spill } from '../../src/index.ts';
import { answer } from './body.mjs';

export const handler = middy(answer).use(s3Spill({ bucket: process.env.BENCH_BUCKET }));
