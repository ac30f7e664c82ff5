/**
 * Issue 11, item 12: the default logger respects POWERTOOLS_SERVICE_NAME
 * (`new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'lambda-s3-spill' })`).
 * The spill record is read from what Powertools Logger writes to stdout.
 */
import { jest } from '@jest/globals';
import middy from '@middy/core';
import { s3Spill } from 'lambda-s3-spill';
import { type LocalS3, startLocalS3 } from '../../samples/local/s3-server.js';
import { context, eventOf } from '../support/events.js';

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startLocalS3('regress-service-name');
});
afterAll(async () => {
  await s3.stop();
});

/** Everything written to stdout or through console while `run` runs. */
async function captureOutput(run: () => Promise<unknown>): Promise<string[]> {
  const captured: string[] = [];
  const original = process.stdout.write;
  process.stdout.write = function write(chunk: unknown, ...rest: unknown[]): boolean {
    captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  } as typeof process.stdout.write;
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      captured.push(args.map(String).join(' '));
    }),
  );
  try {
    await run();
  } finally {
    process.stdout.write = original;
    for (const spy of spies) spy.mockRestore();
  }
  return captured.flatMap((text) => text.split('\n')).filter((line) => line.trim() !== '');
}

function spillRecords(lines: string[]): Record<string, unknown>[] {
  return lines
    .filter((line) => line.trimStart().startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((record) => String(record.message).includes('stored an oversized response'));
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
    const lines = await captureOutput(async () => {
      const handler = middy(async () => ({ statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 's'.repeat(6_291_556) })).use(
        s3Spill({ bucket: s3.bucket, s3Client: s3.client, compress: false }),
      );
      expect(await handler(eventOf('function-url'), context)).toMatchObject({ statusCode: 303 });
    });
    const records = spillRecords(lines);
    expect(records).toHaveLength(1);
    expect(records[0].service).toBe('orders');
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
    const lines = await captureOutput(async () => {
      const handler = middy(async () => ({ statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 's'.repeat(6_291_556) })).use(
        s3Spill({ bucket: s3.bucket, s3Client: s3.client, compress: false }),
      );
      expect(await handler(eventOf('function-url'), context)).toMatchObject({ statusCode: 303 });
    });
    const records = spillRecords(lines);
    expect(records).toHaveLength(1);
    expect(records[0].service).toBe('lambda-s3-spill');
  });
});
