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
 * @module spill/content-address
 */
import { classifyS3Failure } from '../s3/failure.js';
import { type PutObjectParams, storeObject, type StoreObjectInput } from '../s3/store.js';
import { outlivesUrl } from './reuse-window.js';

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
    const failure = classifyS3Failure(error, input.abortSignal);
    if (failure.kind === 'precondition-failed') return { key: input.key, uploaded: false, outcome: 'precondition-failed' };
    if (failure.kind === 'other' && failure.status === 409) return uploadToFallback(input);
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
    const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
    const head = await input.client.send(new HeadObjectCommand({ Bucket: input.bucket, Key: input.key, ...sseC }), {
      abortSignal: input.abortSignal,
    });
    return { size: head.ContentLength, lastModified: head.LastModified };
  } catch (error) {
    if (input.abortSignal?.aborted === true) throw error;
    return undefined;
  }
}
