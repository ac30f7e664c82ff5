// The parse floor of a bundle that carries the SDK: Middy, and the S3 client, lib-storage and the presigner behind a
// dynamic import() that this run never calls (esbuild keeps them in the file; V8 still pre-parses them at load).
import middy from '@middy/core';
import { answer } from './body.mjs';

export const handler = middy(answer).after(async (request) => {
  if (request.response.body.length > 6_291_556) {
    await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage'), import('@aws-sdk/s3-request-presigner')]);
  }
});
