import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { CONTROL_HEADER, s3Spill } from 'lambda-s3-spill';

async function serve(event: APIGatewayProxyEventV2) {
  if (event.rawPath === '/audit') {
    // Never a URL for this one: over the limit it is compressed inline if that fits, else a 500.
    return { statusCode: 200, headers: { 'Content-Type': 'text/csv', [CONTROL_HEADER]: 'no-spill' }, body: await auditCsv() };
  }
  return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(await layer(event.rawPath)) };
}

export const handler = middy(serve).use(
  s3Spill({
    compress: (request) => request.event.rawPath !== '/tiles', // already compressed there
    reuse: (request) => request.event.rawPath.startsWith('/layers/'), // the same layer, stored once
    alwaysSpill: (request) => request.event.rawPath === '/export', // always a download
  }),
);

async function auditCsv(): Promise<string> {
  return 'id,action\n1,login\n';
}

async function layer(path: string): Promise<object> {
  return { type: 'FeatureCollection', name: path, features: [] };
}
