/**
 * The near-limit warning of spill and offload (`warnAtBytes`): whether a
 * result that fits is over the size a team wants to hear about.
 *
 * @module sizing/warn-at
 */
import { exactPayloadBytes } from './payload-bytes.js';

/** The default `warnAtBytes`, as a share of the limit in force. */
export const WARN_AT_SHARE = 0.9;

/**
 * The size to warn above, for the limit in force.
 *
 * @param option - the `warnAtBytes` option (`undefined`: {@link WARN_AT_SHARE} of `maxBytes`, rounded down; `false`: none)
 * @param maxBytes - the limit in force for this result
 * @returns bytes, or `undefined` when nothing is to be warned of
 */
export function warnAtFor(option: number | false | undefined, maxBytes: number): number | undefined {
  if (option === false) return undefined;
  return option ?? Math.floor(maxBytes * WARN_AT_SHARE);
}

/**
 * The exact size of a result that fits, when it is over `warnAt`: counted only
 * when the size known so far (often an upper bound, free to compute) does not
 * already rule it out.
 *
 * @param result - the result, which fits its limit
 * @param known - the size known: exact, or an upper bound
 * @param warnAt - from {@link warnAtFor}
 * @returns the exact size in bytes when it is over `warnAt`, else `undefined`
 */
export function bytesOverWarnAt(result: unknown, known: { readonly bytes: number; readonly exact: boolean }, warnAt: number | undefined): number | undefined {
  if (warnAt === undefined || known.bytes <= warnAt) return undefined;
  const bytes = known.exact ? known.bytes : exactPayloadBytes(result);
  return bytes > warnAt ? bytes : undefined;
}
