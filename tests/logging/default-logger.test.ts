/**
 * Issue 15, section 1: the default Powertools Logger loads on first use, not at
 * import, and no line is lost: a line logged before the module has loaded (a
 * warning at creation, unknown `X-S3-Spill` tokens on a response that fits) is
 * written before that invocation returns, in order.
 */
import { jest } from '@jest/globals';
import { createSpiller } from '../../src/spill/spiller.js';
import { captureOutput } from '../support/emf.js';
import { staticExternals } from '../support/module-graph.js';
import type { MiddyLikeRequest } from '../../src/types/middy.js';

const EVENT = { version: '2.0', rawPath: '/', headers: {}, requestContext: { http: { method: 'GET', path: '/' } } };

function requestOf(response: unknown): MiddyLikeRequest {
  return { event: EVENT, context: {} as never, response, error: undefined, internal: {} } as MiddyLikeRequest;
}

// POWERTOOLS_DEV makes the Logger write through the global console, where the test reads it.
const savedDev = process.env.POWERTOOLS_DEV;
beforeAll(() => {
  process.env.POWERTOOLS_DEV = 'true';
});
afterAll(() => {
  if (savedDev === undefined) delete process.env.POWERTOOLS_DEV;
  else process.env.POWERTOOLS_DEV = savedDev;
});

describe('the default logger, loaded on first use', () => {
  it('writes the creation warning and the unknown-token warning before a fitting response is returned, in order', async () => {
    const lines = await captureOutput(async (written) => {
      const spiller = createSpiller({ bucket: 'a-bucket', expiresIn: 7200 }, {});
      const request = requestOf({ statusCode: 200, headers: { 'x-s3-spill': 'bogus' }, body: 'ok' });
      const out = spiller.process(request);
      expect(out).toBeInstanceOf(Promise);
      await out;
      // Both lines are out by the time the invocation's promise settles.
      expect(written.join('\n')).toContain('expiresIn is 7200 s');
      expect(written.join('\n')).toContain('s3Spill ignored unknown X-S3-Spill tokens');
      expect(request.response).toEqual({ statusCode: 200, headers: {}, body: 'ok' });
    });
    const expiry = lines.findIndex((l) => l.includes('expiresIn is 7200 s'));
    const tokens = lines.findIndex((l) => l.includes('s3Spill ignored unknown X-S3-Spill tokens'));
    expect(expiry).toBeGreaterThanOrEqual(0);
    expect(tokens).toBeGreaterThan(expiry);
  });

  it('keeps a response that fits synchronous when nothing is logged', () => {
    const spiller = createSpiller({ bucket: 'a-bucket' }, {});
    expect(spiller.process(requestOf({ statusCode: 200, body: 'ok' }))).toBeUndefined();
  });

  it('writes a line logged after the module has loaded synchronously', async () => {
    const spiller = createSpiller({ bucket: 'a-bucket', expiresIn: 7200 }, {});
    await captureOutput(async () => void (await spiller.process(requestOf({ statusCode: 200, body: 'ok' }))));
    const lines: string[] = [];
    const spy = jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
    try {
      spiller.logger.warn('a synchronous line');
    } finally {
      spy.mockRestore();
    }
    expect(lines.join('')).toContain('a synchronous line');
  });
});

it.each(['src/spill/middleware.ts', 'src/spill/wrapper.ts'])('%s imports no Powertools module statically (it loads on first use)', (entry) => {
  const externals = [...staticExternals(entry)];
  expect(externals.filter((name) => name.startsWith('@aws-lambda-powertools/'))).toEqual([]);
});

it('sees Powertools where it is imported statically (the check can fail)', () => {
  expect([...staticExternals('src/logging/powertools-logger.cts')]).toContain('@aws-lambda-powertools/logger');
});
