/**
 * Property: any JSON value through s3Offload (a real Middy pipeline, a local
 * S3) and back through resolveOffloaded is deep-equal to what a plain invoke
 * would deliver (`JSON.parse(JSON.stringify(value))`); it is offloaded exactly
 * when its serialized size is over maxBytes: at maxBytes it passes, at
 * maxBytes + 1 it is offloaded, and values over the limit only through
 * escaping are counted right.
 */
import middy from '@middy/core';
import fc from 'fast-check';
import { payloadBytes } from 'lambda-s3-spill';
import { OFFLOAD_REFERENCE_KEY, resolveOffloaded, s3Offload } from 'lambda-s3-spill/offload';
import { context, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';

const MAX = 2_048;
let invoke: (value: unknown) => Promise<unknown>;
const s3 = useLocalS3('offload-bucket');
beforeAll(async () => {
  const handler = middy(async (event: { value: unknown }) => event.value).use(
    s3Offload({ bucket: s3.bucket, s3Client: s3.client, maxBytes: MAX, logger: recordingLogger().logger }),
  );
  invoke = (value) => handler({ value }, context);
});

/** What the caller of a plain invoke would get (JSON on the wire: -0 becomes 0, undefined properties vanish). */
const wire = (value: unknown): unknown => JSON.parse(JSON.stringify(value === undefined ? null : value));

async function roundTrip(value: unknown): Promise<void> {
  const answer = await invoke(value);
  const over = payloadBytes(value) > MAX;
  expect(typeof answer === 'object' && answer !== null && OFFLOAD_REFERENCE_KEY in answer).toBe(over);
  if (!over) expect(answer).toBe(value);
  else expect(payloadBytes(answer)).toBeLessThanOrEqual(MAX);
  // The caller receives the answer as JSON, as from a real invoke, and resolves it.
  expect(await resolveOffloaded(wire(answer), { bucket: s3.bucket, s3Client: s3.client })).toEqual(wire(value));
}

/** Pad `value` into `{ value, pad }` whose JSON is exactly `bytes` long (when it can be). */
function exactly(value: unknown, bytes: number): unknown {
  const bare = payloadBytes({ value, pad: '' });
  return bare > bytes ? undefined : { value, pad: 'p'.repeat(bytes - bare) };
}

const small = fc.jsonValue({ maxDepth: 4, depthSize: 'small' });

it('round-trips arbitrary JSON values, small and large', async () => {
  const sized = fc.tuple(small, fc.integer({ min: 0, max: 6 })).map(([v, n]) => (n === 0 ? v : Array.from({ length: n * 40 }, () => v)));
  await fc.assert(fc.asyncProperty(sized, roundTrip), { numRuns: 120 });
});

it('at maxBytes passes, at maxBytes + 1 is offloaded, whatever the value inside', async () => {
  const atEdge = fc
    .tuple(small, fc.constantFrom(0, 1))
    .map(([v, extra]) => exactly(v, MAX + extra))
    .filter((v) => v !== undefined);
  await fc.assert(
    fc.asyncProperty(atEdge, async (value) => {
      expect([MAX, MAX + 1]).toContain(payloadBytes(value));
      await roundTrip(value);
    }),
    { numRuns: 100 },
  );
});

it('values over the limit only through escaping: quotes, backslashes, controls, lone surrogates', async () => {
  const escaping = fc.constantFrom('"', '\\', '\n', '\t', '\u0001', '\u001f', '\ud800', '\udfff', 'é', '😀', '\u2028', 'a');
  const text = fc
    .integer({ min: 300, max: MAX - 2 })
    .chain((length) => fc.array(escaping, { minLength: length, maxLength: length }))
    .map((chars) => chars.join(''))
    .filter((s) => s.length + 2 <= MAX); // never over by length alone
  let overOnlyByEscaping = 0;
  let fits = 0;
  await fc.assert(
    fc.asyncProperty(text, fc.boolean(), async (s, wrap) => {
      const value = wrap ? { s } : s;
      if (payloadBytes(value) > MAX) overOnlyByEscaping++;
      else fits++;
      await roundTrip(value);
    }),
    { numRuns: 100 },
  );
  // The property met both: values over the limit by escaping alone, and values that fit.
  expect(overOnlyByEscaping).toBeGreaterThan(30);
  expect(fits).toBeGreaterThan(3);
  // The smallest such cases, pinned: 1,023 quotes fit by length (1,025), not when escaped (2,048 + 0 / 2,050).
  await roundTrip('"'.repeat(1_023)); // 2,048 bytes: passes
  await roundTrip(`${'"'.repeat(1_023)}a`); // 2,049: offloaded
  await roundTrip('\u0001'.repeat(341)); // 2,048: passes
  await roundTrip('\ud800'.repeat(342)); // 2,054: offloaded (each lone surrogate is \udXXX)
});
