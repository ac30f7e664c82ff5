/**
 * Reuse of identical bodies: a content-addressed key, and a store that uploads
 * a body only when no object holds it yet.
 *
 * The key is `<prefix><window>/<sha256>`: the SHA-256 of the stored bytes and of
 * everything stored with them (content headers, encoding, `PutObject`
 * parameters), so two objects share a key only when a client could not tell
 * them apart; and `<window>`, the UTC hour (`YYYYMMDDHH`) in which a URL signed
 * now would expire, so that no object is reused for long: see
 * {@link checkReuseLifetime} for why a reused object always outlives the URLs
 * handed out for it.
 *
 * Whether the object is there: a `HeadObject` first (real S3 and the local
 * servers all answer it; 200 means reuse, nothing is uploaded), then a
 * conditional `PutObject` with `If-None-Match: *`: S3 answers 412 when another
 * writer stored the key in between (conditional writes, Amazon S3 User Guide,
 * "How to prevent object overwrites with conditional writes", 2024). The SDK
 * sends `Expect: 100-continue` on bodies of 2 MiB and more (`expectContinueHeader`,
 * `@aws-sdk/middleware-sdk-s3`), so S3's 412 comes before the body is sent. The
 * local s3rver servers ignore `If-None-Match` on PUT and overwrite; the bytes
 * and headers are the same, so that is harmless. Without `s3:ListBucket`, S3
 * answers 403 rather than 404 to a HEAD of a missing key: both lead to the
 * conditional PUT.
 *
 * @module content-address
 */
import { createHash } from 'node:crypto';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { type PutObjectParams, storeObject, type StoreObjectInput } from './s3-object.js';
import type { SpillBody } from './spill-body.js';

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
 * @example
 * ```ts
 * import { checkReuseLifetime } from 'lambda-s3-spill';
 * checkReuseLifetime(300, 1); // fine
 * checkReuseLifetime(86_400, 1); // TypeError: a 1-day URL needs lifecycleDays of at least 2
 * ```
 */
export function checkReuseLifetime(expiresIn: number, lifecycleDays: number): void {
  const needed = expiresIn + REUSE_WINDOW_SECONDS + REUSE_CLOCK_MARGIN_SECONDS;
  if (needed > lifecycleDays * DAY_SECONDS) {
    throw new TypeError(
      `reuse: with expiresIn ${expiresIn} s, lifecycleDays must be at least ${Math.ceil(needed / DAY_SECONDS)} ` +
        `(got ${lifecycleDays}), or a reused object could expire before a URL given for it`,
    );
  }
}

/**
 * The reuse window of a URL signed at `now`: the UTC hour in which it expires, `YYYYMMDDHH`.
 *
 * @example
 * ```ts
 * import { reuseWindow } from 'lambda-s3-spill';
 * reuseWindow(new Date('2026-11-21T05:58:00Z'), 300); // '2026112106'
 * ```
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
 * @example
 * ```ts
 * import { contentHash } from 'lambda-s3-spill';
 * contentHash({ bytes: Buffer.from('{}'), contentType: 'application/json' }, {}).length; // 64
 * ```
 */
export function contentHash(body: SpillBody, params: PutObjectParams): string {
  const { bytes, ...headers } = body;
  const described = canonicalJson({ headers, params });
  return createHash('sha256').update(described).update('\n').update(bytes).digest('hex');
}

/**
 * The content-addressed key: `<prefix><YYYYMMDDHH>/<sha256 hex>`.
 *
 * @param prefix - the key prefix (the grant and the lifecycle rule are scoped to it)
 * @param now - when the URL is signed
 * @param expiresIn - URL lifetime, seconds
 * @example
 * ```ts
 * import { contentKey } from 'lambda-s3-spill';
 * contentKey('spill/', { bytes: Buffer.from('x') }, {}, new Date('2026-11-21T05:10:00Z'), 300);
 * // 'spill/2026112105/6b0f...'
 * ```
 */
export function contentKey(prefix: string, body: SpillBody, params: PutObjectParams, now: Date, expiresIn: number): string {
  return `${prefix}${reuseWindow(now, expiresIn)}/${contentHash(body, params)}`;
}

/** How {@link storeOnce} stored the body. */
export type StoreOnceOutcome =
  /** HEAD found the object: nothing uploaded. */
  | 'found'
  /** S3 answered 412 to the conditional PUT: another writer stored it; nothing uploaded. */
  | 'precondition-failed'
  /** Uploaded to the content-addressed key. */
  | 'uploaded'
  /** Uploaded to a fresh random key instead (the object found was not the expected one, or a concurrent write conflicted). */
  | 'fallback';

/** What {@link storeOnce} did. */
export interface StoreOnceResult {
  /** The key that holds the body: the content key, or the fallback key. */
  readonly key: string;
  /** Whether the body was uploaded by this call. */
  readonly uploaded: boolean;
  readonly outcome: StoreOnceOutcome;
}

/** What {@link storeOnce} needs beyond a plain store. */
export interface StoreOnceInput extends StoreObjectInput {
  /** A fresh, random key, used when the content key cannot be (see `fallback`). */
  readonly fallbackKey: () => string;
  /** URL lifetime, seconds (to check a found object's age). */
  readonly expiresIn: number;
  /** The bucket's lifecycle expiration, days (to check a found object's age). */
  readonly lifecycleDays: number;
  /** The time now (tests). */
  readonly now?: Date;
}

/** The SSE-C parameters a HEAD needs to see an object encrypted with a customer key. */
const SSE_C_PARAMS = ['SSECustomerAlgorithm', 'SSECustomerKey', 'SSECustomerKeyMD5'] as const;

/**
 * Store the body under its content key unless an object already holds it.
 *
 * 1. `HeadObject`: found, with the expected size, and young enough to outlive a
 *    URL signed now → `found`, nothing uploaded. Found but of another size (not
 *    written by this library) or too old → the body goes to `fallbackKey()`.
 * 2. Otherwise (404, or 403 without `s3:ListBucket`, or any other HEAD failure)
 *    `PutObject` with `If-None-Match: *`: 412 → `precondition-failed`, nothing
 *    uploaded; 409 (a concurrent conditional write in flight) → `fallbackKey()`.
 *
 * A multipart upload (bodies from `multipartThreshold` up) is not conditional
 * (`@aws-sdk/lib-storage` does not pass `If-None-Match` to
 * `CompleteMultipartUpload`); after a HEAD miss it overwrites, with the same bytes.
 *
 * Internal: `s3Spill({ reuse: true })` calls it with `key: contentKey(...)` and
 * `fallbackKey: () => prefix + defaultKey()`.
 *
 * @throws what `storeObject` throws (S3 errors, the abort signal's reason)
 */
export async function storeOnce(input: StoreOnceInput): Promise<StoreOnceResult> {
  const now = input.now ?? new Date();
  const head = await headObject(input);
  if (head !== undefined) {
    if (head.size === input.body.bytes.length && outlivesUrl(head.lastModified, now, input.expiresIn, input.lifecycleDays)) {
      return { key: input.key, uploaded: false, outcome: 'found' };
    }
    return uploadToFallback(input);
  }
  try {
    await storeObject({ ...input, params: { ...input.params, IfNoneMatch: '*' } });
    return { key: input.key, uploaded: true, outcome: 'uploaded' };
  } catch (error) {
    if (input.abortSignal?.aborted === true) throw error;
    const status = httpStatusOf(error);
    if (status === 412) return { key: input.key, uploaded: false, outcome: 'precondition-failed' };
    if (status === 409) return uploadToFallback(input);
    throw error;
  }
}

async function uploadToFallback(input: StoreOnceInput): Promise<StoreOnceResult> {
  const key = input.fallbackKey();
  await storeObject({ ...input, key });
  return { key, uploaded: true, outcome: 'fallback' };
}

/** The object's size and date, or `undefined` when HEAD did not find it (or failed: the PUT decides then). */
async function headObject(input: StoreOnceInput): Promise<{ size: number | undefined; lastModified: Date | undefined } | undefined> {
  const sseC: Record<string, string> = {};
  for (const name of SSE_C_PARAMS) {
    const value = input.params[name];
    if (typeof value === 'string') sseC[name] = value;
  }
  try {
    const head = await input.client.send(new HeadObjectCommand({ Bucket: input.bucket, Key: input.key, ...sseC }), {
      abortSignal: input.abortSignal,
    });
    return { size: head.ContentLength, lastModified: head.LastModified };
  } catch (error) {
    if (input.abortSignal?.aborted === true) throw error;
    return undefined;
  }
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

function httpStatusOf(error: unknown): number | undefined {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | undefined)?.$metadata?.httpStatusCode;
  if (typeof status === 'number') return status;
  const name = (error as { name?: unknown } | undefined)?.name;
  if (name === 'PreconditionFailed') return 412;
  if (name === 'ConditionalRequestConflict') return 409;
  return undefined;
}
