/**
 * Size accounting: how many bytes Lambda counts for a result, exactly or by
 * cheap bounds, without serializing when a bound already decides.
 *
 * Lambda counts the UTF-8 bytes of `JSON.stringify(result === undefined ? null : result)`
 * (see `LAMBDA_RESPONSE_MAX_BYTES` in `limits.ts`). JSON escaping: `"` and `\` and
 * `\b \t \n \f \r` take 2 bytes, other U+0000-U+001F take 6 (`\u00XX`), a lone
 * surrogate takes 6 (`\udXXX`, well-formed JSON.stringify, Node >= 12); other
 * characters are raw UTF-8 (1 to 4 bytes). Source: ECMA-262 `QuoteJSONString`.
 *
 * @module payload-bytes
 */
/**
 * The exact number of bytes Lambda counts for a result: the UTF-8 bytes of
 * `JSON.stringify(result === undefined ? null : result)`.
 *
 * @param result - what the handler returns
 * @returns bytes; `0` when `JSON.stringify` gives no text (a function or symbol)
 * @throws TypeError from `JSON.stringify` (a `bigint`, a cycle)
 * @example
 * ```ts
 * import { payloadBytes } from 'lambda-s3-spill';
 * payloadBytes({ statusCode: 200, body: 'é' }); // 30
 * payloadBytes('A'.repeat(6_291_556)); // 6_291_558: the quotes count
 * ```
 */
export function payloadBytes(result: unknown): number {
  const json = JSON.stringify(result === undefined ? null : result) as string | undefined;
  return json === undefined ? 0 : Buffer.byteLength(json, 'utf8');
}

/** Printable ASCII other than `"` and `\`: one byte each in JSON, no escape. */
const ONLY_PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * The exact UTF-8 bytes of `JSON.stringify(s)`, quotes included, computed
 * without building the escaped string.
 *
 * @param s - any string, lone surrogates and control characters included
 * @returns bytes
 * @example
 * ```ts
 * import { jsonStringBytes } from 'lambda-s3-spill';
 * jsonStringBytes('a"b'); // 6: "a\"b"
 * jsonStringBytes('\ud800'); // 8: "\ud800"
 * ```
 */
export function jsonStringBytes(s: string): number {
  const length = s.length;
  let bytes = length + 2;
  if (ONLY_PLAIN_ASCII.test(s)) return bytes;
  for (let i = 0; i < length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c === 0x22 || c === 0x5c) bytes += 1;
      else if (c < 0x20) bytes += c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 1 : 5;
    } else if (c < 0x800) {
      bytes += 1;
    } else if (c < 0xd800 || c > 0xdfff) {
      bytes += 2;
    } else if (c <= 0xdbff && i + 1 < length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 2; // a pair: 2 code units, 4 bytes
        i++;
      } else {
        bytes += 5; // lone high surrogate: \udXXX
      }
    } else {
      bytes += 5; // lone surrogate: \udXXX
    }
  }
  return bytes;
}

/** Longest `JSON.stringify` of a number: `-1.2345678901234567e-308`. */
const NUMBER_MAX_BYTES = 24;
/** Nodes an upper-bound walk visits before giving up (large objects are serialized instead). */
const WALK_MAX_NODES = 512;

/**
 * A cheap upper bound of {@link payloadBytes}: every UTF-16 code unit of a
 * string costs at most 6 bytes in JSON, a number at most 24. Walks small
 * objects only; returns `Infinity` for anything it cannot bound cheaply (more
 * than 512 nodes, `toJSON`, typed arrays, deep nesting).
 *
 * @param value - a result or part of one
 * @returns bytes, `>=` the exact size
 * @example
 * ```ts
 * import { payloadBytesUpperBound } from 'lambda-s3-spill';
 * payloadBytesUpperBound({ statusCode: 200, body: 'hi' }) >= 30; // true
 * ```
 */
export function payloadBytesUpperBound(value: unknown): number {
  const state = { nodes: 0 };
  return upperBound(value === undefined ? null : value, state, 0);
}

function upperBound(value: unknown, state: { nodes: number }, depth: number): number {
  if (++state.nodes > WALK_MAX_NODES || depth > 16) return Infinity;
  switch (typeof value) {
    case 'string':
      return value.length * 6 + 2;
    case 'number':
      return NUMBER_MAX_BYTES;
    case 'boolean':
      return 5;
    case 'undefined':
    case 'function':
    case 'symbol':
      return 4; // omitted in objects, `null` in arrays
    case 'object': {
      if (value === null) return 4;
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function' || ArrayBuffer.isView(value)) return Infinity;
      let bytes = 2;
      if (Array.isArray(value)) {
        for (const item of value) bytes += upperBound(item, state, depth + 1) + 1;
        return bytes;
      }
      for (const key in value) {
        if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
        bytes += key.length * 6 + 4 + upperBound((value as Record<string, unknown>)[key], state, depth + 1);
      }
      return bytes;
    }
    default:
      return Infinity; // bigint: JSON.stringify throws
  }
}

/** What {@link measurePayload} found. */
export interface PayloadMeasure {
  /** Whether the serialized result is at most `maxBytes`. */
  readonly fits: boolean;
  /**
   * The exact size in bytes when it was computed; otherwise the bound that decided
   * (an upper bound when `fits`, a lower bound when not).
   */
  readonly bytes: number;
  /** Whether `bytes` is exact. */
  readonly exact: boolean;
}

/**
 * Decide whether a result fits in `maxBytes` as cheaply as possible: an upper
 * bound proves a fit with no serialization; a lower bound (one byte per UTF-16
 * code unit of the body) proves an overflow; otherwise the exact size, counting
 * the body string without escaping it.
 *
 * @param result - the handler's result
 * @param maxBytes - the limit, in bytes (a result of exactly `maxBytes` fits)
 * @returns the decision and the size that decided it
 * @throws TypeError from `JSON.stringify` (a `bigint`, a cycle)
 * @example
 * ```ts
 * import { measurePayload } from 'lambda-s3-spill';
 * measurePayload({ statusCode: 200, body: 'x'.repeat(10) }, 6_291_556).fits; // true
 * ```
 */
export function measurePayload(result: unknown, maxBytes: number): PayloadMeasure {
  const upper = payloadBytesUpperBound(result);
  if (upper <= maxBytes) return { fits: true, bytes: upper, exact: false };
  const body = stringBody(result);
  if (body !== undefined) {
    if (body.length + 2 > maxBytes) return { fits: false, bytes: body.length + 2, exact: false };
    const bytes = envelopeBytes(result as Record<string, unknown>) - 2 + jsonStringBytes(body);
    return { fits: bytes <= maxBytes, bytes, exact: true };
  }
  if (typeof result === 'string') {
    if (result.length + 2 > maxBytes) return { fits: false, bytes: result.length + 2, exact: false };
    const bytes = jsonStringBytes(result);
    return { fits: bytes <= maxBytes, bytes, exact: true };
  }
  const bytes = payloadBytes(result);
  return { fits: bytes <= maxBytes, bytes, exact: true };
}

/** The `body` string of a plain response object, when it has one. */
function stringBody(result: unknown): string | undefined {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return undefined;
  if (typeof (result as { toJSON?: unknown }).toJSON === 'function') return undefined;
  const body = (result as { body?: unknown }).body;
  return typeof body === 'string' && Object.prototype.hasOwnProperty.call(result, 'body') ? body : undefined;
}

/** Exact bytes of the result with its body replaced by `""` (same key order). */
function envelopeBytes(result: Record<string, unknown>): number {
  return payloadBytes({ ...result, body: '' });
}
