/**
 * `NUMBER_MAX_BYTES` against every case of ECMA-262 `Number::toString`: each
 * sign, each digit count `k` (1 to 17) and each exponent `n` (-323 to 309),
 * where `s × 10^(n-k) = |x|` and `s` has `k` digits. For each case a double is
 * constructed whose shortest form has exactly that `k` and `n`, and its real
 * `JSON.stringify` is compared with the length the case predicts; the bound
 * must hold for every case and be attained.
 */
import { NUMBER_MAX_BYTES } from '../../src/sizing/payload-bytes.js';

/** The length `Number::toString` gives for sign, `k` digits and exponent `n` (ECMA-262, radix 10). */
function predictedLength(negative: boolean, k: number, n: number): number {
  const sign = negative ? 1 : 0;
  if (k <= n && n <= 21) return sign + n;
  if (0 < n && n <= 21) return sign + k + 1;
  if (-6 < n && n <= 0) return sign + 2 - n + k;
  const exponentDigits = String(Math.abs(n - 1)).length;
  const digits = k === 1 ? 1 : k + 1; // one digit, or the first, a point and the other k - 1
  return sign + digits + 2 + exponentDigits; // e, then + or -
}

/** `k` and `n` read back from a JSON number text (independently of how it was made). */
function shapeOf(text: string): { negative: boolean; k: number; n: number } {
  const negative = text.startsWith('-');
  const unsigned = negative ? text.slice(1) : text;
  const [mantissa, exponent] = unsigned.split('e') as [string, string | undefined];
  const [whole, fraction = ''] = mantissa.split('.') as [string, string | undefined];
  if (exponent !== undefined) return { negative, k: whole.length + fraction.length, n: Number(exponent) + 1 };
  if (whole !== '0') return { negative, k: (whole + fraction).replace(/0+$/, '').length, n: whole.length };
  const zeros = fraction.length - fraction.replace(/^0+/, '').length;
  return { negative, k: fraction.length - zeros, n: zeros === 0 ? 0 : -zeros };
}

const bits = new BigInt64Array(1);
const float = new Float64Array(bits.buffer);
/** The next double up (`up`) or down from a positive finite `x`. */
function neighbour(x: number, up: boolean): number {
  float[0] = x;
  bits[0] += up ? 1n : -1n;
  return float[0];
}

/** A positive double whose shortest form has `k` digits and exponent `n`, or `undefined` when none of the candidates has. */
function construct(k: number, n: number): number | undefined {
  const middle = '2345678901234567890'.slice(0, Math.max(0, k - 2));
  for (const first of k === 1 ? [''] : ['1', '4', '9']) {
    for (let last = 1; last <= 9; last++) {
      const parsed = Number(`${first}${middle}${last}e${n - k}`);
      if (!(parsed > 0) || !Number.isFinite(parsed)) continue;
      for (const x of [parsed, neighbour(parsed, true), neighbour(parsed, false)]) {
        if (!Number.isFinite(x) || x <= 0) continue;
        const shape = shapeOf(JSON.stringify(x));
        if (shape.k === k && shape.n === n) return x;
      }
    }
  }
  return undefined;
}

/**
 * Which cases exist among doubles. Below 1e-307 the doubles are 2^-1074 (about 4.9e-324)
 * apart, more than 10^-324, so a decimal with `n + 324` digits lies within half a gap of
 * each: there `k <= n + 324`. Elsewhere every `k` up to 17 occurs.
 */
const exists = (k: number, n: number): boolean => n >= -307 || k <= n + 324;

const K = Array.from({ length: 17 }, (_, i) => i + 1);
const N = Array.from({ length: 309 + 323 + 1 }, (_, i) => i - 323);

it('the extremes of k and n are those of the doubles', () => {
  expect(shapeOf(JSON.stringify(Number.MIN_VALUE))).toEqual({ negative: false, k: 1, n: -323 });
  expect(shapeOf(JSON.stringify(Number.MAX_VALUE))).toEqual({ negative: false, k: 17, n: 309 });
  expect(shapeOf(JSON.stringify(0.1 + 0.2))).toEqual({ negative: false, k: 17, n: 0 });
  expect([NaN, Infinity, -Infinity, 0, -0].map((x) => JSON.stringify(x))).toEqual(['null', 'null', 'null', '0', '0']);
});

it('every sign × k × n case: real JSON.stringify matches the predicted length, within NUMBER_MAX_BYTES, the maximum attained', () => {
  let found = 0;
  let longest = 0;
  let longestText = '';
  const missing: string[] = [];
  for (const k of K) {
    for (const n of N) {
      const x = construct(k, n);
      if (x === undefined) {
        if (exists(k, n)) missing.push(`k=${k} n=${n}`);
        expect(predictedLength(true, k, n)).toBeLessThanOrEqual(NUMBER_MAX_BYTES);
        continue;
      }
      expect(exists(k, n)).toBe(true);
      for (const negative of [false, true]) {
        const text = JSON.stringify(negative ? -x : x);
        expect(shapeOf(text)).toEqual({ negative, k, n });
        expect(text.length).toBe(predictedLength(negative, k, n));
        expect(Buffer.byteLength(text)).toBeLessThanOrEqual(NUMBER_MAX_BYTES);
        if (text.length > longest) [longest, longestText] = [text.length, text];
        found++;
      }
    }
  }
  expect(missing).toEqual([]);
  expect(found).toBe(2 * K.flatMap((k) => N.filter((n) => exists(k, n))).length);
  expect(longest).toBe(NUMBER_MAX_BYTES);
  expect(longest).toBe(25);
  expect(longestText).toMatch(/^-0\.00000[1-9]\d{16}$/);
});
