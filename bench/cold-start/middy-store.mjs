// middy-store + middy-store-s3 (installed by bench/cold-start.ts in node_modules/.cache/cold-start/peers), for comparison.
import middy from '@middy/core';
import { middyStore } from 'middy-store';
import { S3Store } from 'middy-store-s3';
import { answer } from './body.mjs';

export const handler = middy(answer).use(
  middyStore({ stores: [new S3Store({ bucket: process.env.BENCH_BUCKET })], storingOptions: { size: 6_291_556 } }),
);
