import fc from 'fast-check';
import { jsonStringBytes, measurePayload, payloadBytesUpperBound } from '../../src/sizing/payload-bytes.js';
import { payloadBytes } from 'lambda-s3-spill';

const reference = (x: unknown): number => Buffer.byteLength(JSON.stringify(x === undefined ? null : x) ?? '', 'utf8');

/** Any UTF-16 code units: lone surrogates, control characters, quotes, astral pairs. */
const anyUnits = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 200 }).map((codes) => String.fromCharCode(...codes));
const astral = fc.array(fc.integer({ min: 0x10000, max: 0x10ffff }), { maxLength: 20 }).map((cps) => String.fromCodePoint(...cps));
const anyString = fc.oneof(anyUnits, astral, fc.string(), fc.string({ unit: 'binary' }));

const httpResult = fc.record(
  {
    statusCode: fc.integer({ min: 100, max: 599 }),
    headers: fc.dictionary(fc.string(), fc.oneof(anyString, fc.integer(), fc.boolean())),
    multiValueHeaders: fc.dictionary(fc.string(), fc.array(anyString)),
    cookies: fc.array(anyString),
    body: anyString,
    isBase64Encoded: fc.boolean(),
  },
  { requiredKeys: ['statusCode', 'body'] },
);

describe('payloadBytes', () => {
  it('is the UTF-8 length of JSON.stringify(result ?? null) for arbitrary results', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), httpResult, anyString), (x) => {
        expect(payloadBytes(x)).toBe(reference(x));
      }),
      { numRuns: 2000 },
    );
  });

  it('counts undefined as null and the quotes of a bare string', () => {
    expect(payloadBytes(undefined)).toBe(4);
    expect(payloadBytes(null)).toBe(4);
    expect(payloadBytes('A'.repeat(6_291_556))).toBe(6_291_558);
  });
});

describe('jsonStringBytes', () => {
  it('equals the UTF-8 length of JSON.stringify(s), lone surrogates and control characters included', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        expect(jsonStringBytes(s)).toBe(reference(s));
      }),
      { numRuns: 5000 },
    );
  });

  it.each([
    ['"', 4],
    ['\\', 4],
    ['\n', 4],
    ['\u0001', 8],
    ['\u007f', 3],
    ['\u2028', 5],
    ['é', 4],
    ['€', 5],
    ['😀', 6],
    ['\ud800', 8],
    ['\udc00x', 9],
    ['/', 3],
  ])('%j costs %i bytes', (s, bytes) => {
    expect(jsonStringBytes(s)).toBe(bytes);
    expect(reference(s)).toBe(bytes);
  });
});

describe('measurePayload', () => {
  it('decides exactly at the limit: fits at limit, spills at limit - 1', () => {
    fc.assert(
      fc.property(fc.oneof(httpResult, anyString, fc.anything()), (x) => {
        const exact = reference(x);
        expect(measurePayload(x, exact).fits).toBe(true);
        expect(measurePayload(x, exact - 1).fits).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('never reports an upper bound below the exact size', () => {
    fc.assert(
      fc.property(fc.oneof(httpResult, fc.anything()), (x) => {
        expect(payloadBytesUpperBound(x)).toBeGreaterThanOrEqual(reference(x));
      }),
      { numRuns: 2000 },
    );
  });

  it('proves a large overflow from a lower bound without an exact count', () => {
    const result = { statusCode: 200, body: 'x'.repeat(7_000_000) };
    const measure = measurePayload(result, 6_291_556);
    expect(measure).toEqual({ fits: false, bytes: 7_000_002, exact: false });
  });

  it('uses the exact size near the limit: 6,291,556 fits, 6,291,557 does not', () => {
    const envelope = payloadBytes({ statusCode: 200, body: '' });
    const atLimit = { statusCode: 200, body: 'é'.repeat((6_291_556 - envelope) / 2) };
    expect(payloadBytes(atLimit)).toBe(6_291_556);
    expect(measurePayload(atLimit, 6_291_556)).toEqual({ fits: true, bytes: 6_291_556, exact: true });
    const over = { statusCode: 200, body: `${atLimit.body}x` };
    expect(measurePayload(over, 6_291_556)).toEqual({ fits: false, bytes: 6_291_557, exact: true });
  });
});

describe('long strings (the chunked exact count)', () => {
  /** Long strings built from short arbitrary pieces: every escape, surrogates split across 64 KiB chunks. */
  const piece = fc.oneof(anyUnits, astral, fc.constantFrom('"', '\\', '\u0000', '\ud83d', '\ude00', 'é', '€', 'a'.repeat(997)));
  const longString = fc.array(piece, { minLength: 50, maxLength: 400 }).map((parts) => parts.join('').repeat(20));

  it('equals JSON.stringify for strings of tens of thousands of code units', () => {
    fc.assert(
      fc.property(longString, (s) => {
        expect(jsonStringBytes(s)).toBe(reference(s));
        const result = { statusCode: 200, body: s };
        const exact = reference(result);
        expect(measurePayload(result, exact).fits).toBe(true);
        expect(measurePayload(result, exact - 1).fits).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it('counts a surrogate pair split across a 64 KiB chunk boundary', () => {
    for (const offset of [65_535, 65_536, 131_071]) {
      const s = `${'a'.repeat(offset)}😀${'b'.repeat(10)}\ud800`;
      expect(jsonStringBytes(s)).toBe(reference(s));
    }
  });
});
