/**
 * The `X-S3-Spill` response header: the handler sets it to steer the library
 * for one response; it is read and removed before the response leaves.
 *
 * @module options/spill-control
 */
import { headerKey, withoutHeaders } from '../http/headers.js';
import type { HeaderValue, HttpResult } from '../http/result.js';

/** The response header a handler sets to steer the library for one response; never sent to the client. */
export const CONTROL_HEADER = 'X-S3-Spill';

const CONTROL = new Set([CONTROL_HEADER.toLowerCase()]);

/**
 * What one response asks for. Each field is `undefined` when the header does
 * not speak of it (the options decide).
 */
export interface SpillControl {
  /** `no-spill` / `spill`: whether the body may go to S3 (if not, an oversized response is `ResponseTooLargeError`). */
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
 * @returns the control, and the tokens not understood (logged, then ignored)
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

/**
 * Take the `X-S3-Spill` header off a response, in any casing, from `headers`
 * and `multiValueHeaders`.
 *
 * @param result - the handler's response
 * @returns the header's value (several joined with `, `) and the response
 *   without it; the very same object when it has no such header
 */
export function takeSpillControl(result: HttpResult): { value: string | undefined; result: HttpResult } {
  const lower = CONTROL_HEADER.toLowerCase();
  const inSingle = headerKey(result.headers, lower) !== undefined;
  const inMulti = headerKey(result.multiValueHeaders, lower) !== undefined;
  if (!inSingle && !inMulti) return { value: undefined, result };
  const copy: HttpResult = { ...result };
  const single = inSingle ? withoutHeaders<HeaderValue>(result.headers, CONTROL) : undefined;
  const multi = inMulti ? withoutHeaders<HeaderValue[]>(result.multiValueHeaders, CONTROL) : undefined;
  if (single !== undefined) copy.headers = single.map;
  if (multi !== undefined) copy.multiValueHeaders = multi.map;
  // Both maps: API Gateway keeps multiValueHeaders, so those values win.
  const values: unknown[] = multi !== undefined && multi.removed.length > 0 ? multi.removed.flat() : (single?.removed ?? []);
  return { value: values.filter((v) => v !== undefined && v !== null).map(String).join(', '), result: copy };
}
