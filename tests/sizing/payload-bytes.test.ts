import fc from 'fast-check';
import { exactPayloadBytes, jsonStringBytes, measurePayload, payloadBytesUpperBound } from '../../src/sizing/payload-bytes.js';
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

/*
 * The SIMD kernel's paths (src/sizing/escape-kernel.ts): strings from 64 code
 * units; chunks of 262,144 Latin-1 units or 131,072 UTF-16 units; the kernel
 * reads 64 bytes a step (64 Latin-1, 32 UTF-16 units) and widens its 8-bit
 * sums every 768 units; a long string is asked whether V8 stores it two-byte.
 */
describe('the SIMD kernel paths', () => {
  const LATIN1_CHUNK = 262_144;
  const UTF16_CHUNK = 131_072;
  /** Units that each path weighs differently: escapes, the edges of each UTF-8 length, both surrogate halves. */
  const special = fc.constantFrom(
    '"',
    '\\',
    '\u0000',
    '\b',
    '\t',
    '\n',
    '\u000b',
    '\f',
    '\r',
    '\u001f',
    ' ',
    '\u007f',
    '\u0080',
    '\u00ff',
    '\u0100',
    '\u0122',
    '\u015c',
    '\u07ff',
    '\u0800',
    '\u2028',
    '\ud7ff',
    '\ud800',
    '\udbff',
    '\udc00',
    '\udfff',
    '\ue000',
    '\uffff',
    '😀',
  );
  const latin1Unit = fc.integer({ min: 0, max: 0xff });
  const anyUnit = fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(0xd83d, 0xde00, 0xd800, 0xdfff, 0x22, 0x5c, 0x0a, 0x1f));

  it('equals JSON.stringify for strings around the short-string threshold (64) and the old one (512), Latin-1 or not', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(latin1Unit, { minLength: 40, maxLength: 1_100 }),
          fc.array(anyUnit, { minLength: 40, maxLength: 1_100 }),
          fc.array(anyUnit, { minLength: 500, maxLength: 530 }),
          fc.array(latin1Unit, { minLength: 60, maxLength: 70 }),
        ),
        (codes) => {
          const s = String.fromCharCode(...codes);
          expect(jsonStringBytes(s)).toBe(reference(s));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('equals JSON.stringify with special units placed at chunk, step and block edges', () => {
    const edges = [63, 64, 768, 769, UTF16_CHUNK, LATIN1_CHUNK];
    fc.assert(
      fc.property(
        fc.constantFrom('a', 'é', '€', '"'),
        fc.constantFrom(...edges),
        fc.integer({ min: -3, max: 3 }),
        fc.array(fc.tuple(fc.integer({ min: -4, max: 4 }), special), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 40 }),
        (filler, edge, shift, pieces, tail) => {
          const units = filler.repeat(edge + shift + tail).split('');
          for (const [at, piece] of pieces) units.splice(Math.max(0, edge + at), 0, piece);
          const s = units.join('');
          expect(jsonStringBytes(s)).toBe(reference(s));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('counts a string that turns two-byte after its first Latin-1 chunk, and Latin-1 text stored two-byte', () => {
    const latinThenWide = `${'a"é'.repeat(LATIN1_CHUNK / 3 + 7)}€\ud800${'b'.repeat(1000)}`;
    const storedTwoByte = `€${'x\u0001é'.repeat(150_000)}`.slice(1); // a slice of a two-byte string: Latin-1 content
    const pairAcrossChunks = `${'€'.repeat(UTF16_CHUNK - 1)}😀${'\u0000'.repeat(10)}`;
    const loneAtChunkEnd = `${'€'.repeat(UTF16_CHUNK - 1)}\ud83d"${'a'.repeat(10)}`;
    const lowAfterChunk = `${'€'.repeat(UTF16_CHUNK)}\ude00`;
    for (const s of [latinThenWide, storedTwoByte, pairAcrossChunks, loneAtChunkEnd, lowAfterChunk]) {
      expect(jsonStringBytes(s)).toBe(reference(s));
    }
  });

  it('stops early only with a lower bound: around a surrogate pair split across two UTF-16 chunks', () => {
    // The first chunk ends with the high half: counted lone (6 bytes) until the next chunk pairs it.
    const body = `${'€'.repeat(UTF16_CHUNK - 1)}😀`;
    const result = { statusCode: 200, body };
    const exact = reference(result);
    for (let limit = exact - 8; limit <= exact + 8; limit++) {
      const m = measurePayload(result, limit);
      expect(m.fits).toBe(exact <= limit);
      if (m.exact) expect(m.bytes).toBe(exact);
      else expect(m.bytes).toBeLessThanOrEqual(exact);
      if (!m.fits) expect(m.bytes).toBeGreaterThan(limit);
    }
  });

  it('decides at every limit with a lower bound never above the exact size, for long strings of any units', () => {
    const piece = fc.oneof(special, fc.constantFrom('a'.repeat(5_000), 'é'.repeat(3_000), '€'.repeat(2_000), '"'.repeat(700)));
    fc.assert(
      fc.property(fc.array(piece, { minLength: 20, maxLength: 200 }), fc.integer({ min: 1, max: 12 }), fc.double({ min: 0, max: 1.01, noNaN: true }), (parts, times, at) => {
        const body = parts.join('').repeat(times);
        const result = { statusCode: 200, headers: { 'content-type': 'text/plain' }, body };
        const exact = reference(result);
        const limit = Math.floor(body.length + (exact - body.length) * at);
        const m = measurePayload(result, limit);
        expect(m.fits).toBe(exact <= limit);
        if (m.exact) expect(m.bytes).toBe(exact);
        else if (m.fits) expect(m.bytes).toBeGreaterThanOrEqual(exact);
        else expect(m.bytes).toBeGreaterThan(limit);
        if (!m.exact && !m.fits) expect(m.bytes).toBeLessThanOrEqual(exact);
      }),
      { numRuns: 200 },
    );
  });
});

describe('exactPayloadBytes (the near-limit warning measures with it)', () => {
  const text = anyString;
  it('equals payloadBytes for responses with a string body, bare strings and other values, lone surrogates included', () => {
    fc.assert(
      fc.property(text, fc.boolean(), fc.dictionary(fc.string({ maxLength: 8 }), text, { maxKeys: 3 }), (body, base64, headers) => {
        const response = { statusCode: 200, headers, body, isBase64Encoded: base64 };
        expect(exactPayloadBytes(response)).toBe(payloadBytes(response));
        expect(exactPayloadBytes(body)).toBe(payloadBytes(body));
        expect(exactPayloadBytes({ items: [body], n: 1 })).toBe(payloadBytes({ items: [body], n: 1 }));
      }),
      { numRuns: 300 },
    );
  });
});
