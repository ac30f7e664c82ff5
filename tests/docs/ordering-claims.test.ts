/**
 * What docs/ordering.md claims beyond tests/regressions/bypass-paths.test.ts:
 * `withS3Spill` around a whole Middy handler sees an early response from a
 * `before` (a cache, an idempotency replay), which `s3Spill` inside cannot.
 */
import { withS3Spill } from 'lambda-s3-spill';
import { context, eventOf, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { MIDDY_VERSIONS } from '../support/middy-versions.js';
import { locationOf } from '../support/s3-objects.js';

const s3 = useLocalS3('docs-ordering');

describe.each(MIDDY_VERSIONS)('with %s', (_name, middyOf) => {
  it('withS3Spill(middy(handler).use(cache)) spills an oversized early response from a before', async () => {
    const cached = { statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'c'.repeat(6_291_557) };
    let handlerRan = false;
    const chain = middyOf(async () => {
      handlerRan = true;
      return { statusCode: 200, body: 'fresh' };
    }).use({ before: () => cached });
    const handler = withS3Spill(chain as (event: unknown, ctx: typeof context) => Promise<unknown>, {
      bucket: s3.bucket,
      s3Client: s3.client,
      logger: recordingLogger().logger,
      compress: false,
    });
    const response = (await handler(eventOf('function-url'), context)) as { statusCode: number };
    expect(handlerRan).toBe(false);
    expect(response.statusCode).toBe(303);
    const download = await fetch(String(locationOf(response)));
    expect(await download.text()).toBe(cached.body);
  });
});
