/**
 * Errors of `s3Offload()`, `withS3Offload()` and `resolveOffloaded()`. They
 * share a base, {@link S3OffloadError}, itself an `S3SpillError`, so one
 * `instanceof S3SpillError` still catches everything the library throws. The
 * message is generic (`{"message":"..."}`, never a bucket, key or credential);
 * the detail is the `cause`: an `Error` saying what is wrong, or the AWS SDK
 * error scrubbed with `redactedCause`.
 *
 * A Lambda function that throws one fails its invocation with the error's
 * `name` as `errorType`, which a Step Functions `Retry` or `Catch` can match
 * (`"ErrorEquals": ["OffloadStoreError"]`).
 *
 * They live in their own module (not `errors.ts`) so the offload feature stays
 * in `src/offload/`.
 *
 * @module offload/errors
 */
import { S3SpillError } from '../errors/base.js';
import { brandClasses } from '../errors/brand.js';

/**
 * Base class of the offload errors.
 *
 * @example
 * ```ts
 * import { S3OffloadError, S3SpillError } from 'lambda-s3-spill/offload';
 * const error = new S3OffloadError('boom');
 * console.log(error instanceof S3SpillError); // true
 * ```
 */
export class S3OffloadError extends S3SpillError {
  public constructor(message: string, options?: ErrorOptions & { statusCode?: number }) {
    super(message, { ...options, statusCode: options?.statusCode ?? 500 });
    this.name = 'S3OffloadError';
  }
}

/**
 * A reference that may not be resolved, refused before anything is read: a
 * bucket that is not configured, a key outside the key prefix or with a `..`,
 * `.` or empty segment, a malformed or unknown-version reference, an event
 * with more than `maxReferences` references or more than `maxResolveTotalBytes`
 * bytes once resolved. Nothing is read from S3. The detail is the `cause`. Status 400 (the input is wrong).
 *
 * @example
 * ```ts
 * import { OffloadReferenceError } from 'lambda-s3-spill/offload';
 * console.log(new OffloadReferenceError('refused').statusCode); // 400
 * ```
 */
export class OffloadReferenceError extends S3OffloadError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, { ...options, statusCode: 400 });
    this.name = 'OffloadReferenceError';
  }
}

/**
 * The stored object does not match its reference: other size, other SHA-256,
 * not UTF-8 JSON. Nothing of it reaches the handler. Status 502.
 *
 * @example
 * ```ts
 * import { OffloadIntegrityError } from 'lambda-s3-spill/offload';
 * console.log(new OffloadIntegrityError('mismatch').name); // OffloadIntegrityError
 * ```
 */
export class OffloadIntegrityError extends S3OffloadError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, { ...options, statusCode: 502 });
    this.name = 'OffloadIntegrityError';
  }
}

/**
 * Reading a referenced object failed: it is missing (`notFound`: expired by the
 * lifecycle rule, deleted, never written) or S3 failed. `cause` is the SDK
 * error, scrubbed. Status 502.
 *
 * @example
 * ```ts
 * import { OffloadLoadError } from 'lambda-s3-spill/offload';
 * console.log(new OffloadLoadError('gone', { notFound: true }).notFound); // true
 * ```
 */
export class OffloadLoadError extends S3OffloadError {
  /** Whether S3 answered that the object does not exist (`NoSuchKey`, 404). */
  public readonly notFound: boolean;

  public constructor(message: string, options?: ErrorOptions & { notFound?: boolean }) {
    super(message, { ...options, statusCode: 502 });
    this.name = 'OffloadLoadError';
    this.notFound = options?.notFound ?? false;
  }
}

/**
 * Storing a result in S3 failed; `cause` is the SDK error, scrubbed. The
 * oversized result is never returned. Status 502.
 *
 * @example
 * ```ts
 * import { OffloadStoreError } from 'lambda-s3-spill/offload';
 * console.log(new OffloadStoreError('failed').statusCode); // 502
 * ```
 */
export class OffloadStoreError extends S3OffloadError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, { ...options, statusCode: 502 });
    this.name = 'OffloadStoreError';
  }
}

/**
 * Storing or reading could not finish before the deadline
 * (`context.getRemainingTimeInMillis()` less `timeoutEarlyInMillis`, or the
 * `abortSignal` given to `resolveOffloaded`) and was abandoned. Status 503.
 *
 * @example
 * ```ts
 * import { OffloadTimeoutError } from 'lambda-s3-spill/offload';
 * console.log(new OffloadTimeoutError('late', { phase: 'load' }).phase); // load
 * ```
 */
export class OffloadTimeoutError extends S3OffloadError {
  /** Whether it was storing a result or reading a reference. */
  public readonly phase: 'store' | 'load';

  public constructor(message: string, options: ErrorOptions & { phase: 'store' | 'load' }) {
    super(message, { ...options, statusCode: 503 });
    this.name = 'OffloadTimeoutError';
    this.phase = options.phase;
    this.headers = { ...this.headers, 'Retry-After': '1' };
  }
}

// Object keys, not class names: a minifier renames classes.
brandClasses({ S3OffloadError, OffloadReferenceError, OffloadIntegrityError, OffloadLoadError, OffloadStoreError, OffloadTimeoutError });
