/** Content-addressed keys, their reuse window, and why a reused object outlives every URL given for it. */
import fc from 'fast-check';
import { checkReuseLifetime, contentHash, contentKey, outlivesUrl, REUSE_CLOCK_MARGIN_SECONDS, REUSE_WINDOW_SECONDS, reuseWindow } from '../../src/spill/reuse-window.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const body = { bytes: Buffer.from('{"a":1}'), contentType: 'application/json' };

describe('contentHash', () => {
  it('is the SHA-256 of the bytes and of everything stored with them', () => {
    const hash = contentHash(body, {});
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash({ ...body, bytes: Buffer.from('{"a":1}') }, {})).toBe(hash);
    expect(contentHash({ ...body, bytes: Buffer.from('{"a":2}') }, {})).not.toBe(hash);
    expect(contentHash({ ...body, contentEncoding: 'gzip' }, {})).not.toBe(hash);
    expect(contentHash({ ...body, contentType: 'text/plain' }, {})).not.toBe(hash);
    expect(contentHash({ ...body, contentDisposition: 'attachment' }, {})).not.toBe(hash);
    expect(contentHash({ ...body, cacheControl: 'max-age=60' }, {})).not.toBe(hash);
    expect(contentHash({ ...body, contentLanguage: 'fr' }, {})).not.toBe(hash);
    expect(contentHash(body, { ServerSideEncryption: 'aws:kms' })).not.toBe(hash);
    expect(contentHash(body, { Metadata: { a: '1' } })).not.toBe(hash);
  });

  it('does not depend on the order of keys in the parameters', () => {
    expect(contentHash(body, { Metadata: { a: '1', b: '2' }, StorageClass: 'STANDARD' })).toBe(
      contentHash(body, { StorageClass: 'STANDARD', Metadata: { b: '2', a: '1' } }),
    );
  });

  it('tells the bytes from the headers (no ambiguity at the boundary)', () => {
    expect(contentHash({ bytes: Buffer.from('x'), contentType: 'a' }, {})).not.toBe(
      contentHash({ bytes: Buffer.from(''), contentType: 'a' }, {}),
    );
  });
});

describe('reuse window and key', () => {
  it('is the UTC hour in which a URL signed now expires', () => {
    expect(reuseWindow(new Date('2026-11-21T05:10:00Z'), 300)).toBe('2026112105');
    expect(reuseWindow(new Date('2026-11-21T05:55:00Z'), 300)).toBe('2026112106');
    expect(reuseWindow(new Date('2026-12-31T23:59:00Z'), 300)).toBe('2027010100');
  });

  it('puts the prefix, the window and the hash in the key', () => {
    const key = contentKey('spill/', body, {}, new Date('2026-11-21T05:10:00Z'), 300);
    expect(key).toBe(`spill/2026112105/${contentHash(body, {})}`);
  });

  it('gives the same key within a window and a new key in the next one', () => {
    const at = (iso: string) => contentKey('p/', body, {}, new Date(iso), 300);
    expect(at('2026-11-21T05:00:00Z')).toBe(at('2026-11-21T05:54:59Z'));
    expect(at('2026-11-21T05:55:00Z')).not.toBe(at('2026-11-21T05:54:59Z'));
  });
});

describe('checkReuseLifetime', () => {
  it('accepts URL lifetimes that end, with the window and margin, before the lifecycle can delete', () => {
    expect(() => checkReuseLifetime(300, 1)).not.toThrow();
    const longest = 86_400 - REUSE_WINDOW_SECONDS - REUSE_CLOCK_MARGIN_SECONDS;
    expect(() => checkReuseLifetime(longest, 1)).not.toThrow();
    expect(() => checkReuseLifetime(longest + 1, 1)).toThrow(/lifecycleDays must be at least 2/);
    expect(() => checkReuseLifetime(604_800, 7)).toThrow(/at least 8/);
    expect(() => checkReuseLifetime(604_800, 8)).not.toThrow();
  });
});

/**
 * A model of S3 and the function: the first request of a window writes the
 * object (S3 stamps it with its clock); later requests of the same window reuse
 * it and hand out URLs that expire `expiresIn` after the function's clock.
 * The lifecycle deletes the object `lifecycleDays` after it was written, with or
 * without S3's rounding up to the next midnight UTC.
 */
const SKEW = REUSE_CLOCK_MARGIN_SECONDS * 1000;
const skew = fc.oneof(fc.constantFrom(-SKEW, 0, SKEW), fc.integer({ min: -SKEW, max: SKEW }));

/** Any request times and lifetimes. */
const anyScenario = fc.record({
  lifecycleDays: fc.integer({ min: 1, max: 30 }),
  expiresIn: fc.integer({ min: 1, max: 30 * 86_400 }),
  firstWrite: fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2030, 0, 1) }),
  later: fc.integer({ min: 0, max: 2 * HOUR }),
  skewFirst: skew,
  skewLater: skew,
  rounding: fc.boolean(),
});

/**
 * The edges: a URL lifetime within 2 hours of the lifecycle (the check keeps
 * those it allows), the object written early in its window and reused late in it.
 */
const edgeScenario = fc
  .record({
    lifecycleDays: fc.integer({ min: 1, max: 8 }),
    slack: fc.integer({ min: 0, max: 7_200 }),
    hour: fc.integer({ min: 500_000, max: 520_000 }),
    firstOffset: fc.integer({ min: 0, max: 600_000 }),
    laterOffset: fc.integer({ min: HOUR - 600_000, max: HOUR - 1 }),
    skewFirst: skew,
    skewLater: skew,
    rounding: fc.boolean(),
  })
  .map((e) => {
    const expiresIn = e.lifecycleDays * 86_400 - e.slack;
    const firstClock = e.hour * HOUR - expiresIn * 1000 + e.firstOffset;
    const laterClock = e.hour * HOUR - expiresIn * 1000 + e.laterOffset;
    return {
      lifecycleDays: e.lifecycleDays,
      expiresIn,
      firstWrite: firstClock - e.skewFirst,
      later: laterClock - e.skewLater - (firstClock - e.skewFirst),
      skewFirst: e.skewFirst,
      skewLater: e.skewLater,
      rounding: e.rounding,
    };
  });

const scenario = fc.oneof(anyScenario, edgeScenario).filter((s) => {
  if (s.expiresIn < 1 || s.later < 0) return false;
  try {
    checkReuseLifetime(s.expiresIn, s.lifecycleDays);
    return true;
  } catch {
    return false;
  }
});

function deletedAt(created: number, lifecycleDays: number, rounding: boolean): number {
  const due = created + lifecycleDays * DAY;
  return rounding ? Math.ceil(due / DAY) * DAY : due;
}

it('never hands out a URL for a reused object that the lifecycle may delete before the URL expires', () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const created = s.firstWrite; // S3's clock
      const firstKeyWindow = reuseWindow(new Date(s.firstWrite + s.skewFirst), s.expiresIn); // the function's clock
      const reusedAt = s.firstWrite + s.later;
      const reusedClock = reusedAt + s.skewLater;
      fc.pre(reuseWindow(new Date(reusedClock), s.expiresIn) === firstKeyWindow); // same key: reused
      const urlExpires = reusedClock + s.expiresIn * 1000; // X-Amz-Date (the function's clock) + expiresIn
      return urlExpires <= deletedAt(created, s.lifecycleDays, s.rounding);
    }),
    { numRuns: 2000 },
  );
});

it('would hand out such URLs with a day-long window and a one-day lifecycle (the test can fail)', () => {
  const dayWindow = (at: number) => new Date(at).toISOString().slice(0, 10);
  const counterexample = fc.check(
    fc.property(fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2030, 0, 1) }), fc.integer({ min: 0, max: DAY }), (first, later) => {
      fc.pre(dayWindow(first) === dayWindow(first + later));
      return first + later + 300_000 <= deletedAt(first, 1, false);
    }),
    { numRuns: 2000 },
  );
  expect(counterexample.failed).toBe(true);
});

describe('outlivesUrl: the age check on an object HEAD found', () => {
  const now = new Date('2026-11-21T12:00:00Z');
  it('reuses an object written within the window', () => {
    expect(outlivesUrl(new Date(now.getTime() - HOUR), now, 300, 1)).toBe(true);
    expect(outlivesUrl(undefined, now, 300, 1)).toBe(true);
  });
  it('does not reuse one that could be deleted before the URL expires', () => {
    expect(outlivesUrl(new Date(now.getTime() - DAY + 600_000), now, 300, 1)).toBe(true);
    expect(outlivesUrl(new Date(now.getTime() - DAY + 599_999), now, 300, 1)).toBe(false);
    expect(outlivesUrl(new Date(now.getTime() - 2 * DAY), now, 300, 1)).toBe(false);
  });
});
