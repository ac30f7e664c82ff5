/**
 * Errors of the request side (`createUpload`, `s3Uploads`, `resolveUploads`): a
 * base, {@link S3UploadsError}, itself an `S3SpillError`.
 *
 * @module uploads/errors
 */
import { S3SpillError } from '../errors/base.js';
import { brandClasses } from '../errors/brand.js';

/**
 * Base class of the uploads errors, itself an `S3SpillError`.
 *
 * @example
 * ```ts
 * import { S3UploadsError, InvalidUploadError } from 'lambda-s3-spill/uploads';
 * console.log(new InvalidUploadError('refused') instanceof S3UploadsError); // true
 * ```
 */
export class S3UploadsError extends S3SpillError {
  public constructor(message: string, options?: ErrorOptions & { statusCode?: number }) {
    super(message, { ...options, statusCode: options?.statusCode ?? 500 });
    this.name = 'S3UploadsError';
  }
}

/**
 * An upload reference was refused: malformed or made up, another bucket or
 * prefix, a key outside the prefix (as S3 would see it), no such object, a
 * token that does not match, an object over `maxBytes`, of a content type not
 * accepted, written after its form expired, or changed since it was checked.
 * Nothing of the object was read. Answer: 400, with a client-safe message
 * (`{"message":"The upload is too large"}`, never the reference or the key);
 * `field` names the body field (`undefined` for the `X-S3-Upload` header), and
 * `cause` holds the detail for the logs.
 *
 * @example
 * ```ts
 * import { InvalidUploadError } from 'lambda-s3-spill/uploads';
 * const error = new InvalidUploadError('The upload is too large', { field: 'photo' });
 * console.log(error.statusCode, error.field); // 400 photo
 * ```
 */
export class InvalidUploadError extends S3UploadsError {
  /** The body field that held the reference; `undefined` for the whole-body mode. */
  public readonly field: string | undefined;

  public constructor(message: string, options?: ErrorOptions & { field?: string }) {
    super(message, { ...options, statusCode: 400 });
    this.name = 'InvalidUploadError';
    this.field = options?.field;
  }
}

/**
 * S3 failed while an upload was checked or read (down, throttling, denied,
 * timed out): not the client's fault, so not a 400. Answer: 502, or 503 with
 * `Retry-After` when S3 throttled (503 `SlowDown`) or the deadline came first.
 * `cause` is the SDK error, scrubbed of credentials.
 *
 * @example
 * ```ts
 * import { UploadStorageError } from 'lambda-s3-spill/uploads';
 * console.log(new UploadStorageError('S3 failed').statusCode); // 502
 * ```
 */
export class UploadStorageError extends S3UploadsError {
  public constructor(message: string, options?: ErrorOptions & { statusCode?: 502 | 503 }) {
    super(message, { ...options, statusCode: options?.statusCode ?? 502 });
    this.name = 'UploadStorageError';
    if (this.statusCode === 503) this.headers = { ...this.headers, 'Retry-After': '1' };
  }
}

// Object keys, not class names: a minifier renames classes.
brandClasses({ S3UploadsError, InvalidUploadError, UploadStorageError });
