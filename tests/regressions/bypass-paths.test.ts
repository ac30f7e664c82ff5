/**
 * Issue 11, item 14: the documented bypass paths, pinned (these pass today).
 * (a) `after` runs in reverse registration order: a middleware registered
 *     BEFORE s3Spill (a tracer with captureResponse, input-output-logger,
 *     idempotency) sees the 303 with its bearer URL; one registered AFTER
 *     s3Spill sees the original response.
 * (b) A `before` that returns early (a cache, an idempotency replay) skips
 *     every `after`, s3Spill's included: an oversized response passes through untouched.
 */
import { s3Spill } from 'lambda-s3-spill';
import { context, eventOf, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { MIDDY_VERSIONS } from '../support/middy-versions.js';
import { listKeys, locationOf } from '../support/s3-objects.js';

const s3 = useLocalS3('regress-bypass');

const LIMIT = 6_291_556;
const spill = () => s3Spill({ bucket: s3.bucket, s3Client: s3.client, logger: recordingLogger().logger, compress: false });

/** A middleware whose `after` records the response it sees (a response logger, a tracer). */
function recorder() {
  const seen: unknown[] = [];
  return { seen, middleware: { after: (request: { response: unknown }) => void seen.push(request.response) } };
}

describe.each(MIDDY_VERSIONS)('with %s', (_name, middyOf) => {
  it('(a) a middleware registered before s3Spill sees the 303 with its URL; one registered after sees the original', async () => {
    const result = { statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'b'.repeat(LIMIT) };
    const outer = recorder();
    const inner = recorder();
    const handler = middyOf(async () => result)
      .use(outer.middleware)
      .use(spill())
      .use(inner.middleware);
    const response = (await handler(eventOf('function-url'), context)) as { statusCode: number };
    expect(response.statusCode).toBe(303);

    expect(outer.seen).toHaveLength(1);
    expect(outer.seen[0]).toMatchObject({ statusCode: 303 });
    expect(locationOf(outer.seen[0])).toBe(locationOf(response));
    expect(locationOf(outer.seen[0])).toMatch(/X-Amz-Signature=/);

    expect(inner.seen).toHaveLength(1);
    expect(inner.seen[0]).toBe(result);
  });

  it('(b) an early oversized response from a before middleware skips s3Spill: it passes through untouched', async () => {
    const cached = { statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'c'.repeat(LIMIT + 1) };
    let handlerRan = false;
    const handler = middyOf(async () => {
      handlerRan = true;
      return { statusCode: 200, body: 'fresh' };
    })
      .use(spill())
      .use({ before: () => cached });
    const before = (await listKeys(s3.client, s3.bucket)).length;
    const response = await handler(eventOf('function-url'), context);
    expect(response === cached).toBe(true);
    expect(handlerRan).toBe(false);
    expect((await listKeys(s3.client, s3.bucket)).length).toBe(before);
  });
});
