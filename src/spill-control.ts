/**
 * Per-route and per-response control: options that are a value or a function
 * of the request, and the `X-S3-Spill` response header, which the handler sets
 * and the middleware reads and removes before the response leaves.
 *
 * @module spill-control
 */
import type { HeaderValue, HttpResult } from './http-result.js';
import type { MiddyLikeRequest } from './types/middy.js';

/** The response header a handler sets to steer the middleware for one response; never sent to the client. */
export const CONTROL_HEADER = 'X-S3-Spill';

/** A switch given as is, or decided per request (per route, per client, ...). */
export type PerRequestFlag = boolean | ((request: MiddyLikeRequest) => boolean);

/**
 * What one response asks for. Each field is `undefined` when the header does
 * not speak of it (the options decide).
 */
export interface SpillControl {
  /** `no-spill` / `spill`: whether an oversized body may go to S3 (if not, an oversized response is `ResponseTooLargeError`). */
  readonly spill?: boolean;
  /** `no-compress` / `compress`. */
  readonly compress?: boolean;
  /** `no-reuse` / `reuse`. */
  readonly reuse?: boolean;
  /** `always`: spill even a response that fits. */
  readonly always?: boolean;
}

/** The tokens of the header, and what each sets; `off` is `no-spill, no-compress`. */
const TOKENS: Record<string, Partial<Record<keyof SpillControl, boolean>>> = {
  off: { spill: false, compress: false },
  spill: { spill: true },
  'no-spill': { spill: false },
  compress: { compress: true },
  'no-compress': { compress: false },
  reuse: { reuse: true },
  'no-reuse': { reuse: false },
  always: { always: true, spill: true },
};

/**
 * Parse an `X-S3-Spill` value: comma-separated tokens, any case, later tokens
 * win: `off` (no spill, no compression), `no-spill`, `spill`, `no-compress`,
 * `compress`, `no-reuse`, `reuse`, `always`.
 *
 * @returns the control, and the tokens not understood (the middleware logs them)
 * @example
 * ```ts
 * import { parseSpillControl } from 'lambda-s3-spill';
 * parseSpillControl('no-compress, reuse').control; // { compress: false, reuse: true }
 * ```
 */
export function parseSpillControl(value: string): { control: SpillControl; unknown: string[] } {
  const control: Record<string, boolean> = {};
  const unknown: string[] = [];
  for (const raw of value.split(',')) {
    const token = raw.trim().toLowerCase();
    if (token === '') continue;
    const effect = Object.prototype.hasOwnProperty.call(TOKENS, token) ? TOKENS[token] : undefined;
    if (effect === undefined) unknown.push(token.replace(/[^\x21-\x7e]/g, '?').slice(0, 32));
    else Object.assign(control, effect);
  }
  return { control, unknown };
}

/** Whether a header map has `name` (lower case) in any casing; no allocation (this runs on every response). */
function hasKey(map: object | undefined, lower: string): boolean {
  if (typeof map !== 'object' || map === null) return false;
  for (const key in map) {
    if (key.length === lower.length && key.toLowerCase() === lower && Object.prototype.hasOwnProperty.call(map, key)) return true;
  }
  return false;
}

function withoutKey<T>(map: Record<string, T> | undefined, lower: string): { map: Record<string, T> | undefined; values: T[] } {
  if (!hasKey(map, lower)) return { map, values: [] };
  const copy: Record<string, T> = {};
  const values: T[] = [];
  for (const [key, value] of Object.entries(map!)) {
    if (key.toLowerCase() === lower) values.push(value);
    else copy[key] = value;
  }
  return { map: copy, values };
}

/**
 * Take the `X-S3-Spill` header off a response, in any casing, from `headers`
 * and `multiValueHeaders`.
 *
 * @param result - the handler's response
 * @returns the header's value (several joined with `, `) and the response
 *   without it; the very same object when it has no such header
 * @example
 * ```ts
 * import { takeSpillControl } from 'lambda-s3-spill';
 * const { value, result } = takeSpillControl({ statusCode: 200, headers: { 'x-s3-spill': 'off' }, body: '' });
 * // value: 'off'; result.headers: {}
 * ```
 */
export function takeSpillControl(result: HttpResult): { value: string | undefined; result: HttpResult } {
  const lower = CONTROL_HEADER.toLowerCase();
  if (!hasKey(result.headers, lower) && !hasKey(result.multiValueHeaders, lower)) return { value: undefined, result };
  const single = withoutKey<HeaderValue>(result.headers, lower);
  const multi = withoutKey<HeaderValue[]>(result.multiValueHeaders, lower);
  if (single.values.length === 0 && multi.values.length === 0) return { value: undefined, result };
  const copy: HttpResult = { ...result };
  if (single.values.length > 0) copy.headers = single.map;
  if (multi.values.length > 0) copy.multiValueHeaders = multi.map;
  // Both maps: API Gateway keeps multiValueHeaders, so those values win.
  const values = multi.values.length > 0 ? multi.values.flat() : single.values;
  return { value: values.filter((v) => v !== undefined && v !== null).map(String).join(', '), result: copy };
}

/**
 * Decide a switch for one response: the header's word if it said one, else the option.
 *
 * @throws what the option's function throws
 */
export function decide(fromHeader: boolean | undefined, option: PerRequestFlag, request: MiddyLikeRequest): boolean {
  if (fromHeader !== undefined) return fromHeader;
  return typeof option === 'function' ? option(request) === true : option;
}

/**
 * Check a switch option when the middleware is created.
 *
 * @throws TypeError naming the option
 */
export function checkFlag(option: string, value: unknown): void {
  if (typeof value !== 'boolean' && typeof value !== 'function') {
    throw new TypeError(`${option} must be a boolean or a function of the request`);
  }
}
