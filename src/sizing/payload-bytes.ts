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
 * @module sizing/payload-bytes
 */
import { KERNEL_BYTES, escapeKernel } from './escape-kernel.js';

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

/**
 * Bytes an ASCII character adds to its one byte in JSON: 1 for `"`, `\` and
 * `\b \t \n \f \r`, 5 for the other U+0000-U+001F (`\u00XX`), 0 otherwise.
 */
const ASCII_EXTRA = new Uint8Array(0x80);
for (let c = 0; c < 0x20; c++) ASCII_EXTRA[c] = 5;
for (const c of [0x08, 0x09, 0x0a, 0x0c, 0x0d, 0x22, 0x5c]) ASCII_EXTRA[c] = 1;

/**
 * Strings shorter than this are counted with `charCodeAt`; longer ones by the
 * SIMD kernel. Its fixed cost (a regular-expression test, a copy, a call) is
 * that of about 30 code units of the `charCodeAt` loop: measured at 64 units,
 * 40 ns (Latin-1) and 93 ns (UTF-16) against 111 ns for the loop; at 512
 * units, 75 and 175 ns against 800.
 */
const SHORT_STRING = 64;
/** Code units per chunk: the kernel's memory holds this many Latin-1 units, or half as many UTF-16 ones. */
const LATIN1_CHUNK = KERNEL_BYTES;
const UTF16_CHUNK = KERNEL_BYTES / 2;
/** A code unit above U+00FF. V8 answers `false` at once for a one-byte string (its compiled code for one-byte subjects cannot match). */
const NOT_LATIN1 = /[^\u0000-\u00ff]/;

/**
 * The exact UTF-8 bytes of `JSON.stringify(s)`, quotes included, computed
 * without building the escaped string.
 *
 * How, for speed (`npm run bench` measures it at 0.02 to 0.07 times
 * `Buffer.byteLength(JSON.stringify(s))` on a 6 MB body, whatever its
 * characters): a long string is
 * copied into the memory of a WebAssembly SIMD kernel (`escape-kernel.ts`),
 * 256 KiB at a time, which sums each code unit's extra bytes 16 units per
 * step. A chunk with no code unit above U+00FF is copied as Latin-1, one byte
 * per unit (a memcpy for a one-byte V8 string); any other as UTF-16, where the
 * kernel also pairs surrogates across the chunk's edges (a lone surrogate is
 * `\udXXX`, 6 bytes). Short strings use `charCodeAt`.
 *
 * @param s - any string, lone surrogates and control characters included
 * @returns bytes
 */
export function jsonStringBytes(s: string): number {
  return jsonStringBytesUnless(s, Infinity).bytes;
}

/** A count that may have stopped early: `bytes` is exact when `complete`, else a lower bound above the stop. */
interface StringCount {
  readonly bytes: number;
  readonly complete: boolean;
}

/**
 * {@link jsonStringBytes}, except that a long string's count may stop once it
 * passes `stopAbove` (`complete: false`, and `bytes`, still above `stopAbove`, is
 * a lower bound): deciding that a body does not fit needs no more.
 */
function jsonStringBytesUnless(s: string, stopAbove: number): StringCount {
  return s.length < SHORT_STRING ? { bytes: unitByUnitBytes(s), complete: true } : kernelBytes(s, stopAbove);
}

/** Exact, for any string: one code unit at a time. */
function unitByUnitBytes(s: string): number {
  const length = s.length;
  let bytes = length + 2;
  for (let i = 0; i < length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      bytes += ASCII_EXTRA[c]!;
    } else if (c < 0x800) {
      bytes += 1;
    } else if (c < 0xd800 || c > 0xdfff) {
      bytes += 2;
    } else if (c <= 0xdbff && i + 1 < length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a pair: 2 code units, 4 bytes
      i++;
    } else {
      bytes += 5; // lone surrogate: \udXXX
    }
  }
  return bytes;
}

/**
 * Exact, by the kernel, chunk by chunk. Each chunk is tested for a code unit
 * above U+00FF (free for a one-byte string, a scan up to the first such unit
 * for a two-byte one); once one is found the string is two-byte and the rest
 * goes as UTF-16 untested. A string longer than one chunk that V8 stores
 * two-byte ({@link storedTwoByte}) goes as UTF-16 from the start.
 *
 * Stops after the chunk where the count passes `stopAbove` (`complete: false`):
 * every code unit counts one byte, and what the kernel adds for the chunks read
 * is final except for a high surrogate at the chunk's end, counted lone (5) but
 * maybe paired by the next chunk (then 1, and the pair's low half 1, not 5: 3
 * less). Less those 3, the partial count is a lower bound.
 */
function kernelBytes(s: string, stopAbove: number): StringCount {
  const { buffer, latin1Extra, utf16Extra } = escapeKernel();
  const length = s.length;
  let bytes = length + 2;
  let twoByte = length > LATIN1_CHUNK && storedTwoByte(s);
  let afterHigh = false;
  for (let start = 0; start < length; ) {
    let units = Math.min(LATIN1_CHUNK, length - start);
    let chunk = units === length ? s : s.substring(start, start + units);
    if (!twoByte && !NOT_LATIN1.test(chunk)) {
      buffer.write(chunk, 0, units, 'latin1');
      bytes += latin1Extra(units);
      afterHigh = false;
    } else {
      twoByte = true;
      if (units > UTF16_CHUNK) {
        units = UTF16_CHUNK;
        chunk = s.substring(start, start + units);
      }
      buffer.write(chunk, 0, units * 2, 'utf16le');
      bytes += utf16Extra(units, afterHigh);
      afterHigh = (buffer[units * 2 - 1]! & 0xfc) === 0xd8;
    }
    start += units;
    if (start < length && bytes - (afterHigh ? 3 : 0) > stopAbove) return { bytes: bytes - (afterHigh ? 3 : 0), complete: false };
  }
  return { bytes, complete: true };
}

/** `v8.serialize`, loaded on first use (the module costs about 1.5 ms to load: not at import). */
let serialize: ((value: unknown) => Buffer) | null | undefined;

/**
 * Whether V8 stores `s` as a two-byte string: asked of V8's serializer, whose
 * output names the representation (after its header, 0xFF and a version
 * varint, the tag `"` (0x22) for a one-byte string, `c` (0x63) for a two-byte
 * one, maybe after padding; V8 `src/objects/value-serializer.cc`). A 16-unit
 * slice shares its parent's representation (V8 makes a sliced string from 13
 * units), so this costs about 0.5 us whatever the length.
 *
 * A hint only, for long strings: it spares a two-byte string the per-chunk
 * test for a code unit above U+00FF, which scans up to the first such unit
 * (0.5 ns per unit; all of a 6 MB JSON text with one emoji at its end). An
 * answer of "one-byte" is still checked chunk by chunk, so a wrong hint costs
 * time, never exactness; `false` where the module cannot be had.
 */
function storedTwoByte(s: string): boolean {
  if (serialize === undefined) {
    const v8 = process.getBuiltinModule?.('node:v8') as { serialize(value: unknown): Buffer } | undefined;
    serialize = v8 === undefined ? null : v8.serialize;
  }
  if (serialize === null) return false;
  const out = serialize(s.substring(0, 16));
  let i = 1;
  while (i < out.length && (out[i]! & 0x80) !== 0) i++; // the version varint
  i++;
  while (i < out.length && out[i] === 0) i++; // padding
  return i < out.length && out[i] !== 0x22;
}

/**
 * Longest `JSON.stringify` of a number: 25, `-0.0000012345678901234567`.
 *
 * Derivation (ECMA-262 `Number::toString`, radix 10; `JSON.stringify` writes
 * `NaN` and `±Infinity` as `null`, 4, and `-0` as `0`). A finite `x ≠ 0` is
 * written as `-` (1, when negative) followed by a text made of the digits of
 * the integer `s`, with `k` digits, and of `n`, where `s × 10^(n-k) = |x|` and
 * `k` is as small as possible. `k ≤ 17` (17 significant digits always tell
 * two doubles apart, IEEE 754 §5.12.2) and `-323 ≤ n ≤ 309` (`5e-324` and
 * `1.7976931348623157e308`). By the range of `n`, without the sign:
 *
 * | range of `n` | form | characters | most |
 * |---|---|---|---|
 * | `k ≤ n ≤ 21` | the digits, `n - k` zeros | `n` | 21 |
 * | `0 < n < k` (so `n ≤ 16`) | `n` digits, `.`, `k - n` digits | `k + 1` | 18 |
 * | `-6 < n ≤ 0` | `0.`, `-n` zeros, the digits | `2 - n + k` | 24 (`n = -5`, `k = 17`) |
 * | `n > 21` or `n ≤ -6`, `k = 1` | digit, `e`, `+`/`-`, `abs(n - 1)` | `3 + digits(abs(n - 1))` | 6 |
 * | `n > 21` or `n ≤ -6`, `k > 1` | digit, `.`, `k - 1` digits, `e`, `+`/`-`, `abs(n - 1)` | `k + 3 + digits(abs(n - 1))` | 23 (`k = 17`, 3 exponent digits) |
 *
 * The most is 24, with the sign 25: a negative number in `(-1e-5, -1e-6]`
 * whose shortest form has 17 digits. `tests/sizing/number-bound.test.ts`
 * enumerates every sign, `k` and `n` against real `JSON.stringify`.
 */
export const NUMBER_MAX_BYTES = 25;
/** Properties and items an upper-bound walk visits before giving up (large objects are serialized instead). */
const WALK_MAX_NODES = 512;
/** Deepest nesting an upper-bound walk follows. */
const WALK_MAX_DEPTH = 16;

/** Nodes a walk may still visit: one per walk, passed down. */
interface WalkBudget {
  left: number;
}

/**
 * A cheap upper bound of {@link payloadBytes}: every UTF-16 code unit of a
 * string costs at most 6 bytes in JSON, a number at most 25 ({@link NUMBER_MAX_BYTES}). Walks small
 * objects only; returns `Infinity` for anything it cannot bound cheaply (more
 * than 512 properties and items, `toJSON`, typed arrays, boxed primitives,
 * deep nesting).
 *
 * @param value - a result or part of one
 * @returns bytes, `>=` the exact size
 */
export function payloadBytesUpperBound(value: unknown): number {
  return upperBound(value === undefined ? null : value, 0, { left: WALK_MAX_NODES });
}

/*
 * Written for speed (it runs on every response): no allocation, primitives
 * inline, no `hasOwnProperty` (an inherited enumerable key, which JSON skips,
 * only makes the bound larger, never wrong).
 */
function upperBound(value: unknown, depth: number, budget: WalkBudget): number {
  switch (typeof value) {
    case 'string':
      return value.length * 6 + 2;
    case 'number':
      return NUMBER_MAX_BYTES;
    case 'boolean':
      return 5;
    case 'object':
      return value === null ? 4 : objectBound(value, depth, budget);
    case 'bigint':
      return Infinity; // JSON.stringify throws
    default:
      return 4; // `undefined`, functions, symbols: omitted in objects, `null` in arrays
  }
}

function objectBound(value: object, depth: number, budget: WalkBudget): number {
  if (depth > WALK_MAX_DEPTH || typeof (value as { toJSON?: unknown }).toJSON === 'function') return Infinity;
  let bytes = 2;
  if (Array.isArray(value)) {
    const length = value.length;
    if ((budget.left -= length) < 0) return Infinity;
    for (let i = 0; i < length; i++) bytes += upperBound(value[i], depth + 1, budget) + 1;
    return bytes;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null && !isPlainEnough(value)) return Infinity;
  for (const key in value) {
    if (--budget.left < 0) return Infinity;
    const item = (value as Record<string, unknown>)[key];
    bytes += key.length * 6 + 4;
    if (typeof item === 'string') bytes += item.length * 6 + 2;
    else if (typeof item === 'number') bytes += NUMBER_MAX_BYTES;
    else if (typeof item === 'object' && item !== null) bytes += objectBound(item, depth + 1, budget);
    else bytes += upperBound(item, depth + 1, budget);
  }
  return bytes;
}

/** Objects of other classes JSON serializes by their enumerable properties: not typed arrays, not boxed primitives. */
function isPlainEnough(value: object): boolean {
  return !(
    ArrayBuffer.isView(value) ||
    value instanceof Number ||
    value instanceof String ||
    value instanceof Boolean ||
    value instanceof BigInt
  );
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
 * code unit of the body) proves an overflow; otherwise the body string is
 * counted without escaping it, and the count stops as soon as it proves an
 * overflow (then `bytes` is that lower bound and `exact` is `false`).
 *
 * @param result - the handler's result
 * @param maxBytes - the limit, in bytes (a result of exactly `maxBytes` fits)
 * @returns the decision and the size that decided it
 * @throws TypeError from `JSON.stringify` (a `bigint`, a cycle)
 */
export function measurePayload(result: unknown, maxBytes: number): PayloadMeasure {
  const upper = payloadBytesUpperBound(result);
  if (upper <= maxBytes) return { fits: true, bytes: upper, exact: false };
  const body = stringBody(result);
  if (body !== undefined) {
    if (body.length + 2 > maxBytes) return { fits: false, bytes: body.length + 2, exact: false };
    const envelope = envelopeBytes(result as Record<string, unknown>) - 2;
    const count = jsonStringBytesUnless(body, maxBytes - envelope);
    const bytes = envelope + count.bytes;
    return count.complete ? { fits: bytes <= maxBytes, bytes, exact: true } : { fits: false, bytes, exact: false };
  }
  if (typeof result === 'string') {
    if (result.length + 2 > maxBytes) return { fits: false, bytes: result.length + 2, exact: false };
    const count = jsonStringBytesUnless(result, maxBytes);
    return count.complete
      ? { fits: count.bytes <= maxBytes, bytes: count.bytes, exact: true }
      : { fits: false, bytes: count.bytes, exact: false };
  }
  const bytes = payloadBytes(result);
  return { fits: bytes <= maxBytes, bytes, exact: true };
}

/** The `body` string of a response object, when JSON writes it as a property (own, enumerable, no `toJSON`). */
function stringBody(result: unknown): string | undefined {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return undefined;
  if (typeof (result as { toJSON?: unknown }).toJSON === 'function') return undefined;
  const proto = Object.getPrototypeOf(result) as unknown;
  if (proto !== Object.prototype && proto !== null && !isPlainEnough(result)) return undefined;
  const body = (result as { body?: unknown }).body;
  return typeof body === 'string' && Object.prototype.propertyIsEnumerable.call(result, 'body') ? body : undefined;
}

/** Exact bytes of the result with its body replaced by `""` (same key order). */
/**
 * The exact bytes of a result, as {@link payloadBytes} counts them, without
 * serializing its body: a response's `body` string (or a bare string) is counted
 * by {@link jsonStringBytes}, so only the envelope goes through `JSON.stringify`.
 *
 * @param result - the handler's result
 * @returns bytes
 * @throws TypeError from `JSON.stringify` (a `bigint`, a cycle)
 */
export function exactPayloadBytes(result: unknown): number {
  const body = stringBody(result);
  if (body !== undefined) return envelopeBytes(result as Record<string, unknown>) - 2 + jsonStringBytes(body);
  if (typeof result === 'string') return jsonStringBytes(result);
  return payloadBytes(result);
}

function envelopeBytes(result: Record<string, unknown>): number {
  return payloadBytes({ ...result, body: '' });
}
