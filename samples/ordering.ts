import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import httpContentEncoding from '@middy/http-content-encoding';
import httpContentNegotiation from '@middy/http-content-negotiation';
import httpCors from '@middy/http-cors';
import httpErrorHandler from '@middy/http-error-handler';
import httpResponseSerializer from '@middy/http-response-serializer';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type S3SpillOptions, s3Spill } from 'lambda-s3-spill';

const logger = new Logger({ serviceName: 'reports' });

async function report(event: APIGatewayProxyEventV2) {
  if (event.rawPath === '/fail') throw new Error('the report store is down');
  return { statusCode: 200, body: { rows: await loadRows() } };
}

export function reportHandler(spill: S3SpillOptions = {}) {
  return middy(report)
    .use(s3Spill({ logger, ...spill })) // first: its `after` and `onError` run last, on the final response
    .use(httpCors({ origins: ['https://app.example'] })) // before the error handler: error responses get CORS too
    .use(httpErrorHandler({ logger: (error) => logger.error('Request failed', error as Error) }))
    // Sets request.preferredEncoding from Accept-Encoding: without it httpContentEncoding does nothing.
    .use(
      httpContentNegotiation({
        parseCharsets: false,
        parseLanguages: false,
        parseMediaTypes: false,
        availableEncodings: ['br', 'gzip'],
        failOnMismatch: false,
      }),
    )
    .use(httpContentEncoding())
    .use(
      httpResponseSerializer({
        serializers: [{ regex: /^application\/json$/, serializer: ({ body }) => JSON.stringify(body) }],
        defaultContentType: 'application/json',
      }),
    );
}

export const handler = reportHandler();

async function loadRows(): Promise<object[]> {
  return Array.from({ length: 120_000 }, (_, i) => ({ id: i, city: 'Sant Julià de Lòria', value: i * 0.5 }));
}
