/**
 * The errors of the spill utility (`s3Spill()`, `withS3Spill()`), each an
 * `S3SpillError` (the shared base: `statusCode`, `expose`, `headers`, a
 * scrubbed `cause`, `instanceof` across loaded copies). A configuration
 * problem is the shared `SpillConfigurationError`.
 *
 * @module spill/errors
 */
import { S3SpillError, SERVER_PROBLEM_MESSAGE } from '../errors/base.js';
import { brandClasses } from '../errors/brand.js';

/**
 * The handler's result cannot be sent as it is (a `Buffer` or object `body`,
 * invalid base64 under `isBase64Encoded: true`, a header value that is not a
 * string, number or boolean). The message is generic and `cause` holds the
 * detail. Answer: 500.
 *
 * @example
 * ```ts
 * import { InvalidResponseError } from 'lambda-s3-spill';
 * const error = new InvalidResponseError('body must be a string');
 * console.log(error.statusCode); // 500
 * ```
 */
export class InvalidResponseError extends S3SpillError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, { ...options, statusCode: 500 });
    this.name = 'InvalidResponseError';
  }
}

/**
 * The response is over the limit and cannot be spilled: a status that is not
 * spilled (non-2xx, 204, 205, 206), a result that is not an HTTP response, or
 * headers and cookies that alone are over the limit. Answer: 500. Returning it
 * would make Lambda fail with a bare 502 and nothing in the logs.
 *
 * @example
 * ```ts
 * import { ResponseTooLargeError } from 'lambda-s3-spill';
 * const error = new ResponseTooLargeError('too large', { bytes: 7_000_000, maxBytes: 6_291_556 });
 * console.log(error.bytes > error.maxBytes); // true
 * ```
 */
export class ResponseTooLargeError extends S3SpillError {
  /** Serialized size of the response, in bytes (a lower bound when not computed exactly). */
  public readonly bytes: number;
  /** The limit it exceeded, in bytes. */
  public readonly maxBytes: number;

  public constructor(message: string, sizes: { bytes: number; maxBytes: number }, options?: ErrorOptions) {
    super(message, { ...options, statusCode: 500 });
    this.name = 'ResponseTooLargeError';
    this.bytes = sizes.bytes;
    this.maxBytes = sizes.maxBytes;
  }
}

/**
 * Storing the body in S3 or signing its URL failed; `cause` holds the AWS SDK
 * error. The oversized response is never returned. Answer: 502 (S3 is the
 * failing upstream).
 *
 * @example
 * ```ts
 * import { SpillUploadError } from 'lambda-s3-spill';
 * const error = new SpillUploadError('upload failed', { cause: new Error('SlowDown') });
 * console.log(error.statusCode, error.cause); // 502 Error: SlowDown
 * ```
 */
export class SpillUploadError extends S3SpillError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, { ...options, statusCode: 502 });
    this.name = 'SpillUploadError';
  }
}

/**
 * The upload could not finish before the Lambda deadline (less
 * `timeoutEarlyInMillis`) and was aborted, so the error handler can still answer
 * before the function times out. Answer: 503 with `Retry-After`.
 *
 * @example
 * ```ts
 * import { SpillTimeoutError } from 'lambda-s3-spill';
 * console.log(new SpillTimeoutError('deadline').statusCode); // 503
 * ```
 */
export class SpillTimeoutError extends S3SpillError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, { ...options, statusCode: 503 });
    this.name = 'SpillTimeoutError';
    this.headers = { ...this.headers, 'Retry-After': '1' };
  }
}

/**
 * A result that cannot be sent: a generic message for the client, the detail as `cause`.
 *
 * @param detail - what is wrong with the result, for the logs (never a header's value)
 */
export function invalidResponse(detail: string): InvalidResponseError {
  return new InvalidResponseError(SERVER_PROBLEM_MESSAGE, { cause: new Error(detail) });
}

// Object keys, not class names: a minifier renames classes.
brandClasses({ InvalidResponseError, ResponseTooLargeError, SpillUploadError, SpillTimeoutError });
