/**
 * The pure part of reuse: the content-addressed key of a body (`<prefix><window>/<sha256>`),
 * its reuse window, and the lifetime rules that keep a reused object alive
 * longer than every URL handed out for it. See `content-address.ts` for the store.
 *
 * @module storage/reuse-window
 */
import type { SpillBody } from '../http/body.js';
import type { PutObjectParams } from '../s3/store.js';

/** Length of a reuse window, in seconds: an object is reused for at most this long after its key's window opens. */
export const REUSE_WINDOW_SECONDS = 3_600;

/**
 * Room for the clocks of the function and of S3 to disagree, in seconds. Lambda
 * clocks are NTP-synchronized; five minutes is SigV4's own tolerance for a
 * request's date (Amazon S3 API reference, "RequestTimeTooSkewed").
 */
export const REUSE_CLOCK_MARGIN_SECONDS = 300;

const DAY_SECONDS = 86_400;

/**
 * Check that reused objects outlive every URL handed out for them.
 *
 * A lifecycle rule deletes an object `lifecycleDays` after it was written (at
 * the earliest: S3 rounds up to the next midnight UTC and deletes
 * asynchronously; this check does not count on either). A URL signed at `t`
 * for the key of window `W` (the hour holding `t + expiresIn`) expires before
 * `W + 1 h`, and the object at that key was first written at the earliest at
 * `W - expiresIn` (by a request of the same window). So the object lives at
 * least until `W - expiresIn + lifecycleDays`, which is after every such URL has
 * expired when `expiresIn + 1 h <= lifecycleDays`; five minutes more are kept
 * for clock skew. A later overwrite only makes the object younger.
 *
 * @param expiresIn - URL lifetime, seconds
 * @param lifecycleDays - the bucket's expiration rule for the prefix, days
 * @throws TypeError when `expiresIn + 3,600 + 300 > lifecycleDays * 86,400`
 */
export function checkReuseLifetime(expiresIn: number, lifecycleDays: number): void {
  const problem = reuseLifetimeProblem(expiresIn, lifecycleDays);
  if (problem !== undefined) throw new TypeError(problem);
}

/** Why reused objects could expire before a URL given for them, or `undefined` when they cannot. */
export function reuseLifetimeProblem(expiresIn: number, lifecycleDays: number): string | undefined {
  const needed = expiresIn + REUSE_WINDOW_SECONDS + REUSE_CLOCK_MARGIN_SECONDS;
  if (needed <= lifecycleDays * DAY_SECONDS) return undefined;
  return (
    `reuse: with expiresIn ${expiresIn} s, lifecycleDays must be at least ${Math.ceil(needed / DAY_SECONDS)} ` +
    `(got ${lifecycleDays}), or a reused object could expire before a URL given for it`
  );
}

/**
 * The reuse window of a URL signed at `now`: the UTC hour in which it expires, `YYYYMMDDHH`.
 *
 */
export function reuseWindow(now: Date, expiresIn: number): string {
  const expires = new Date(now.getTime() + expiresIn * 1000);
  return expires.toISOString().slice(0, 13).replace(/[-T]/g, '');
}

/** JSON with object keys sorted at every level: the same value always gives the same text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
    if (item instanceof Uint8Array) return Buffer.from(item).toString('base64');
    return Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

/**
 * SHA-256 (hex) of what an object stores: its bytes, content headers
 * (`Content-Type`, `Content-Encoding`, `Content-Language`, `Content-Disposition`,
 * `Cache-Control`) and the other `PutObject` parameters (encryption, metadata, tags, ...).
 *
 */
export function contentHash(body: SpillBody, params: PutObjectParams): string {
  const { bytes, ...headers } = body;
  const described = canonicalJson({ headers, params });
  // node:crypto on first use (a reused spill), not at import.
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(described).update('\n').update(bytes).digest('hex');
}

/**
 * The content-addressed key: `<prefix><YYYYMMDDHH>/<sha256 hex>`.
 *
 * @param prefix - the key prefix (the grant and the lifecycle rule are scoped to it)
 * @param now - when the URL is signed
 * @param expiresIn - URL lifetime, seconds
 */
export function contentKey(prefix: string, body: SpillBody, params: PutObjectParams, now: Date, expiresIn: number): string {
  return `${prefix}${reuseWindow(now, expiresIn)}/${contentHash(body, params)}`;
}

/**
 * Whether an object written at `lastModified` outlives a URL signed `now` for
 * `expiresIn` seconds, under a lifecycle rule of `lifecycleDays` (deletion
 * counted from `lastModified`, no rounding), with the clock margin. An unknown
 * date counts as young: the key's window already bounds the age.
 */
export function outlivesUrl(lastModified: Date | undefined, now: Date, expiresIn: number, lifecycleDays: number): boolean {
  if (lastModified === undefined) return true;
  const deletedAtEarliest = lastModified.getTime() + lifecycleDays * DAY_SECONDS * 1000;
  const urlExpires = now.getTime() + (expiresIn + REUSE_CLOCK_MARGIN_SECONDS) * 1000;
  return urlExpires <= deletedAtEarliest;
}

