/**
 * Errors thrown by `s3Spill()`. Each carries an HTTP `statusCode` and `expose`
 * flag in the shape `@middy/http-error-handler` reads, so that handler answers the
 * client with that status and the (credential-free) message; without an error
 * handler the invocation fails and the error is in the function's logs.
 *
 * @module errors
 */

/**
 * Base class of every error this library throws.
 *
 * @example
 * ```ts
 * import { S3SpillError } from 'lambda-s3-spill';
 * try { throw new S3SpillError('boom'); } catch (error) {
 *   if (error instanceof S3SpillError) console.log(error.statusCode); // 500
 * }
 * ```
 */
export class S3SpillError extends Error {
  /** HTTP status an error handler should answer with. */
  public statusCode: number;
  /** Whether the message may be shown to the client (it never holds a URL, bucket or key). */
  public expose: boolean;
  /** Headers an error handler (e.g. `@middy/http-error-handler`) adds to its response. */
  public headers: Record<string, string>;

  public constructor(message: string, options?: ErrorOptions & { statusCode?: number }) {
    super(message, options);
    this.name = 'S3SpillError';
    this.statusCode = options?.statusCode ?? 500;
    this.expose = true;
    this.headers = { 'Cache-Control': 'no-store' };
  }
}

/**
 * The middleware's configuration is unusable (for example no bucket was given
 * and `S3_SPILL_BUCKET` is not set). Thrown when the middleware is created.
 *
 * @example
 * ```ts
 * import { s3Spill, SpillConfigurationError } from 'lambda-s3-spill';
 * try { s3Spill({ bucket: '' }); } catch (error) {
 *   console.log(error instanceof SpillConfigurationError); // true
 * }
 * ```
 */
export class SpillConfigurationError extends S3SpillError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, { ...options, statusCode: 500 });
    this.name = 'SpillConfigurationError';
  }
}

/**
 * The handler's result cannot be sent as it is (a `Buffer` or object `body`,
 * invalid base64 under `isBase64Encoded: true`). Answer: 500.
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
