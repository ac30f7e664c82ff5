/**
 * The demo's Lambda handler: serves the documents of `data.ts` from a Function
 * URL, as a Middy handler with or without `s3Spill`.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { s3Spill } from 'lambda-s3-spill';
import { demoDocuments } from './data.js';

/** The plain handler: answers each route with its document. */
export async function serveDocument(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const document = (await demoDocuments()).find((d) => d.path === event.rawPath);
  if (document === undefined) return { statusCode: 404, body: '' };
  return {
    statusCode: 200,
    headers: {
      'Content-Type': document.contentType,
      ...(document.contentDisposition ? { 'Content-Disposition': document.contentDisposition } : {}),
      'Access-Control-Allow-Origin': '*',
    },
    cookies: ['demo=1; Path=/; HttpOnly'],
    body: document.binary ? document.bytes.toString('base64') : document.bytes.toString('utf8'),
    isBase64Encoded: document.binary,
  };
}

/** The same handler with `s3Spill` (or without, to show the 502). */
export function demoHandler(spill: { bucket: string; s3Client: S3Client } | undefined) {
  const handler = middy(serveDocument);
  return spill === undefined ? handler : handler.use(s3Spill({ bucket: spill.bucket, s3Client: spill.s3Client }));
}
