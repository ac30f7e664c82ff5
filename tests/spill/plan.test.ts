/**
 * The plan alone: every row of the behaviour table (docs/behaviour.md), then the
 * cross product of the switches (alwaysSpill, each X-S3-Spill token and their
 * combinations, compress), HEAD, status classes, fits / over, and each front
 * door. No S3, no clock: the plan is a pure function.
 */
import { type Plan, planResponse, type PlanSettings } from '../../src/spill/plan.js';
import { COMPRESSIBLE_TYPES } from '../../src/compression/media-types.js';
import { InvalidResponseError, ResponseTooLargeError } from '../../src/spill/errors.js';
import { describeRequest } from '../../src/http/events.js';
import { responseMaxBytes } from '../../src/limits.js';
import { parseSpillControl } from '../../src/spill/spill-control.js';
import { measurePayload, payloadBytes } from '../../src/sizing/payload-bytes.js';
import { EVENT_KINDS, type EventKind, eventOf } from '../support/events.js';

const SETTINGS: PlanSettings = {
  encodings: ['zstd', 'br', 'gzip'],
  compressibleTypes: COMPRESSIBLE_TYPES,
  reference: true,
  streaming: false,
  compressInlineOnRestApi: false,
};

interface Case {
  result: unknown;
  kind?: EventKind | 'http-v1' | 'not-http';
  method?: string;
  acceptEncoding?: string;
  reference?: boolean;
  always?: boolean;
  spill?: boolean;
  compress?: boolean;
  reuse?: boolean;
  settings?: Partial<PlanSettings>;
  maxBytes?: number;
}

function eventFor(kind: Case['kind'], method: string): unknown {
  if (kind === 'not-http') return { Records: [] };
  if (kind === 'http-v1') return { version: '1.0', httpMethod: method, headers: {}, requestContext: {} };
  return eventOf(kind ?? 'function-url', method);
}

function plan(c: Case): Plan {
  const info = describeRequest(eventFor(c.kind, c.method ?? 'GET'));
  const settings = { ...SETTINGS, ...c.settings };
  const platformMaxBytes = responseMaxBytes(info.frontDoor, settings.streaming);
  const maxBytes = Math.min(c.maxBytes ?? platformMaxBytes, platformMaxBytes);
  return planResponse({
    result: c.result,
    request: { ...info, acceptEncoding: c.acceptEncoding, wantsReference: c.reference ?? false },
    switches: { always: c.always ?? false, spill: c.spill ?? true, compress: c.compress ?? true, reuse: c.reuse ?? false },
    settings,
    maxBytes,
    platformMaxBytes,
    measure: measurePayload(c.result, maxBytes),
  });
}

const json = (bytes: number, statusCode = 200) => ({
  statusCode,
  headers: { 'Content-Type': 'application/json' },
  body: 'a'.repeat(bytes),
});
const BIG = 7_000_000;
const small = json(14);
const big = json(BIG);

describe('the behaviour table, row by row', () => {
  it('fits the limit: returned untouched', () => {
    expect(plan({ result: small })).toEqual({ kind: 'pass', why: 'it fits' });
  });

  it('2xx over, compressible, the client accepts a coding: compress, inline when it fits, else spill', () => {
    expect(plan({ result: big, acceptEncoding: 'gzip' })).toMatchObject({ kind: 'compress', coding: 'gzip', orElse: 'spill' });
  });

  it('2xx over the limit: spill, 303', () => {
    expect(plan({ result: big })).toMatchObject({ kind: 'spill', coding: undefined, spill: { answer: 'see-other' } });
  });

  it('2xx over, reference mode asked for: spill, reference answer', () => {
    expect(plan({ result: big, reference: true })).toMatchObject({ kind: 'spill', spill: { answer: 'reference' } });
    expect(plan({ result: big, reference: true, settings: { reference: false } })).toMatchObject({
      spill: { answer: 'see-other' },
    });
  });

  it('a bare result (no statusCode) over the limit behind an HTTP API or Function URL: spill as application/json', () => {
    for (const kind of ['http-v2', 'function-url'] as const) {
      expect(plan({ result: { rows: 'x'.repeat(BIG) }, kind })).toMatchObject({
        kind: 'spill',
        spill: { readBy: undefined, headers: { contentType: 'application/json' } },
      });
      expect(plan({ result: 'x'.repeat(BIG), kind })).toMatchObject({ kind: 'spill' });
    }
  });

  it('HEAD over the limit: the body is dropped', () => {
    expect(plan({ result: big, method: 'HEAD' })).toMatchObject({ kind: 'drop-body' });
  });

  it.each([204, 205, 206, 301, 404, 500])('a %i over the limit: ResponseTooLargeError', (status) => {
    const p = plan({ result: json(BIG, status) });
    expect(p.kind).toBe('reject');
    expect((p as { error: unknown }).error).toBeInstanceOf(ResponseTooLargeError);
  });

  it.each(['rest-v1', 'alb'] as const)('a non-HTTP result behind %s, over the limit: ResponseTooLargeError', (kind) => {
    const p = plan({ result: { rows: 'x'.repeat(BIG) }, kind });
    expect((p as { error: unknown }).error).toBeInstanceOf(ResponseTooLargeError);
  });

  it('headers and cookies that alone are over the limit: ResponseTooLargeError, before any upload', () => {
    const cookies = Array.from({ length: 80 }, (_, i) => `c${i}=${'v'.repeat(100_000)}`);
    const p = plan({ result: { ...big, cookies } });
    expect((p as unknown as { error: ResponseTooLargeError }).error.message).toMatch(/headers and cookies alone/);
  });

  it.each([
    ['a Buffer', Buffer.from('x')],
    ['a Uint8Array', new Uint8Array(3)],
    ['an object', { rows: [] }],
  ])('a body that is %s: InvalidResponseError, even when it fits', (_name, body) => {
    const p = plan({ result: { statusCode: 200, body } });
    expect((p as { error: unknown }).error).toBeInstanceOf(InvalidResponseError);
  });

  it('a header value that is not a string, number or boolean, over the limit: InvalidResponseError', () => {
    const p = plan({ result: { ...big, headers: { 'X-Bad': { a: 1 } } } });
    expect((p as { error: unknown }).error).toBeInstanceOf(InvalidResponseError);
  });

  it('a streamed body: passed through', () => {
    const stream = { pipe: () => undefined };
    expect(plan({ result: { statusCode: 200, body: stream }, always: true })).toMatchObject({ kind: 'pass' });
  });

  it('a non-HTTP event: passed through untouched, even with alwaysSpill', () => {
    expect(plan({ result: big, kind: 'not-http', always: true })).toMatchObject({ kind: 'pass' });
  });
});

describe('the switches', () => {
  it('alwaysSpill spills a 2xx that fits, compressing the object when the client accepts, never inline', () => {
    expect(plan({ result: small, always: true })).toMatchObject({ kind: 'spill', coding: undefined });
    expect(plan({ result: small, always: true, acceptEncoding: 'br' })).toMatchObject({ kind: 'spill', coding: 'br' });
  });

  it.each(['no-spill', 'off', 'always, no-spill'])('alwaysSpill with X-S3-Spill: %s on a response that fits: untouched', (value) => {
    const { control } = parseSpillControl(value);
    const p = plan({ result: small, always: control.always ?? true, spill: control.spill ?? true, compress: control.compress ?? true });
    expect(p.kind).toBe('pass');
  });

  it('with spilling off, an oversized compressible response may still fit compressed; else it is rejected', () => {
    expect(plan({ result: big, spill: false, acceptEncoding: 'gzip' })).toMatchObject({ kind: 'compress', orElse: 'reject' });
    expect(plan({ result: big, spill: false })).toMatchObject({ kind: 'reject' });
    expect(plan({ result: big, spill: false, compress: false, acceptEncoding: 'gzip' })).toMatchObject({ kind: 'reject' });
  });

  it('reuse is carried to the spill step', () => {
    expect(plan({ result: big, reuse: true })).toMatchObject({ spill: { reuse: true } });
  });
});

describe('the front doors', () => {
  it('compresses inline behind an HTTP API with payload 1.0 (it decodes base64), not behind a REST API by default', () => {
    expect(plan({ result: big, kind: 'http-v1', acceptEncoding: 'gzip' })).toMatchObject({ kind: 'compress' });
    expect(plan({ result: big, kind: 'rest-v1', acceptEncoding: 'gzip' })).toMatchObject({ kind: 'spill', coding: 'gzip' });
    expect(
      plan({ result: big, kind: 'rest-v1', acceptEncoding: 'gzip', settings: { compressInlineOnRestApi: true } }),
    ).toMatchObject({ kind: 'compress' });
  });

  it('uses 1,000,000 bytes behind an ALB: a response of exactly that passes, one byte more spills', () => {
    const envelope = payloadBytes(json(0));
    const exact = json(1_000_000 - envelope);
    expect(payloadBytes(exact)).toBe(1_000_000);
    expect(plan({ result: exact, kind: 'alb' })).toMatchObject({ kind: 'pass' });
    expect(plan({ result: json(1_000_001 - envelope), kind: 'alb' })).toMatchObject({ kind: 'spill' });
    expect(plan({ result: json(1_000_001 - envelope), kind: 'alb', maxBytes: 5_000_000 })).toMatchObject({ kind: 'spill' });
  });

  it('never answers inline when streaming; passes up to 200 MiB behind a Function URL', () => {
    const streaming = { streaming: true };
    expect(plan({ result: big, acceptEncoding: 'gzip', settings: streaming })).toMatchObject({ kind: 'pass' });
    const huge = { statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'x'.repeat(210 * 1024 * 1024) };
    expect(plan({ result: huge, acceptEncoding: 'gzip', settings: streaming })).toMatchObject({ kind: 'spill', coding: 'gzip' });
    expect(plan({ result: big, kind: 'alb', acceptEncoding: 'gzip', settings: streaming })).toMatchObject({ kind: 'spill' });
  });
});

type Expected = 'pass' | 'drop-body' | 'reject' | 'compress' | 'spill';

/** The rule the table and the code say, written once more, independently, for the cross product. */
function expected(c: Required<Pick<Case, 'always' | 'spill' | 'compress'>> & { head: boolean; status: number; over: boolean; kind: EventKind }): Expected {
  const spillable = c.status >= 200 && c.status < 300 && ![204, 205, 206].includes(c.status);
  if (!c.over) return c.always && c.spill && !c.head && spillable ? 'spill' : 'pass';
  if (c.head) return 'drop-body';
  if (!spillable) return 'reject';
  if (!c.spill && !c.compress) return 'reject';
  if (c.compress && c.kind !== 'rest-v1') return 'compress';
  return c.spill ? 'spill' : 'reject';
}

describe('the cross product', () => {
  const tokens = ['', 'off', 'no-spill', 'spill', 'no-compress', 'compress', 'always', 'always, no-spill', 'off, spill', 'no-spill, compress'];
  const rows: [string, boolean, boolean, string, boolean, number, boolean, EventKind][] = [];
  for (const alwaysSpill of [false, true])
    for (const compress of [false, true])
      for (const token of tokens)
        for (const head of [false, true])
          for (const status of [200, 204, 206, 302, 404, 503])
            for (const over of [false, true])
              for (const kind of EVENT_KINDS) rows.push([token, alwaysSpill, compress, token, head, status, over, kind]);

  it(`gives the expected plan in each of ${rows.length} cases`, () => {
    const wrong: string[] = [];
    for (const [, alwaysSpill, compressOption, token, head, status, over, kind] of rows) {
      const { control } = parseSpillControl(token);
      const switches = {
        always: control.always ?? alwaysSpill,
        spill: control.spill ?? true,
        compress: control.compress ?? compressOption,
      };
      const limit = responseMaxBytes(describeRequest(eventOf(kind)).frontDoor);
      const result = json(over ? limit + 10 : 14, status);
      const got = plan({ result, kind, method: head ? 'HEAD' : 'GET', acceptEncoding: 'gzip', ...switches }).kind;
      const want = expected({ ...switches, head, status, over, kind });
      if (got !== want) wrong.push(`${kind} ${status} ${head ? 'HEAD' : 'GET'} ${over ? 'over' : 'fits'} alwaysSpill=${alwaysSpill} compress=${compressOption} X-S3-Spill="${token}": got ${got}, want ${want}`);
    }
    expect(wrong).toEqual([]);
  });
});
