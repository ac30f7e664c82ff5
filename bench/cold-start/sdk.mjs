// The raw SDK: what a user writes by hand with @aws-sdk/client-s3 and the presigner (the client made at import, as usual).
import middy from '@middy/core';
import { randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { answer } from './body.mjs';

const s3 = new S3Client({});
const Bucket = process.env.BENCH_BUCKET;

export const handler = middy(answer).after(async (request) => {
  const r = request.response;
  if (Buffer.byteLength(JSON.stringify(r)) <= 6_291_556) return;
  const Key = randomUUID();
  await s3.send(new PutObjectCommand({ Bucket, Key, Body: r.body, ContentType: r.headers['content-type'] }));
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key }), { expiresIn: 300 });
  request.response = { statusCode: 303, headers: { location: url }, body: '' };
});
