/**
 * Issue 11, item 12: the default logger respects POWERTOOLS_SERVICE_NAME
 * (`new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'lambda-s3-spill' })`).
 * The spill record is read from what Powertools Logger writes to stdout.
 */
import middy from '@middy/core';
import { s3Spill } from 'lambda-s3-spill';
import { captureOutput } from '../support/emf.js';
import { context, eventOf } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';

const s3 = useLocalS3('regress-service-name');

/** The `service` of the one spill record the default logger writes (to stdout) for a spilled response. */
async function serviceOfTheSpillRecord(): Promise<unknown> {
  const lines = await captureOutput(async () => {
    const handler = middy(async () => ({ statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 's'.repeat(6_291_556) })).use(
      s3Spill({ bucket: s3.bucket, s3Client: s3.client, compress: false }),
    );
    expect(await handler(eventOf('function-url'), context)).toMatchObject({ statusCode: 303 });
  });
  const records = lines
    .filter((line) => line.trimStart().startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((record) => String(record.message).includes('stored an oversized response'));
  expect(records).toHaveLength(1);
  return records[0].service;
}

describe('POWERTOOLS_SERVICE_NAME=orders, no logger option', () => {
  const saved = { service: process.env.POWERTOOLS_SERVICE_NAME, dev: process.env.POWERTOOLS_DEV };
  beforeEach(() => {
    process.env.POWERTOOLS_SERVICE_NAME = 'orders';
    delete process.env.POWERTOOLS_DEV;
  });
  afterEach(() => {
    for (const [name, value] of [
      ['POWERTOOLS_SERVICE_NAME', saved.service],
      ['POWERTOOLS_DEV', saved.dev],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('the spill log line has service "orders"', async () => {
    expect(await serviceOfTheSpillRecord()).toBe('orders');
  });
});

describe('POWERTOOLS_SERVICE_NAME unset, no logger option', () => {
  const saved = process.env.POWERTOOLS_SERVICE_NAME;
  beforeEach(() => {
    delete process.env.POWERTOOLS_SERVICE_NAME;
  });
  afterEach(() => {
    if (saved !== undefined) process.env.POWERTOOLS_SERVICE_NAME = saved;
  });

  it('the spill log line has service "lambda-s3-spill"', async () => {
    expect(await serviceOfTheSpillRecord()).toBe('lambda-s3-spill');
  });
});
