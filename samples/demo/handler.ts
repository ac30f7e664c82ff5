/**
 * The demo's Lambda handler: serves the documents of `data.ts` from a Function
 * URL, as a Middy handler with or without `s3Spill`, run by `npm run demo`
 * through `lambda-s3-spill dev samples/demo/handler.ts#plain` and `#spilled`.
 */
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

/** Without `s3Spill`: the 17 MB routes fail as in AWS (502). */
export const plain = middy(serveDocument);

/**
 * With `s3Spill()`, no options: the bucket from `S3_SPILL_BUCKET` and the default
 * S3 client, which `lambda-s3-spill dev` points at its embedded S3 (`AWS_ENDPOINT_URL_S3`).
 */
export const spilled = middy(serveDocument).use(s3Spill());
