/**
 * Errors thrown by `s3Spill()` and `withS3Spill()`. Each carries an HTTP
 * `statusCode`, `expose` and `headers` in the shape `@middy/http-error-handler`
 * reads, so that handler answers the client with that status and the message
 * (`withS3Spill` answers the same itself); without an error handler the
 * invocation fails and the error is in the function's logs.
 *
 * The message is a small JSON document, `{"message":"..."}` (the shape of API
 * Gateway's own error bodies), so `@middy/http-error-handler` serves it as
 * `application/json`. It never holds a URL, bucket, key, credential or a word
 * of the configuration: a configuration problem or an invalid response found
 * while answering a request tells the client only
 * `{"message":"The server could not send this response"}`; the detail is the
 * `cause` (an `Error` whose message says what is wrong, with the user
 * callback's own error as its `cause`), for the logs. The `cause` of an S3
 * failure is the AWS SDK error, scrubbed (see {@link redactedCause}): S3 echoes
 * credentials in some error bodies, and the SDK copies them onto its error.
 *
 * @module errors
 */
import { isNativeError } from 'node:util/types';

/**
 * Base class of every error this library throws.
 *
 * @example
 * ```ts
 * import { S3SpillError } from 'lambda-s3-spill';
 * try { throw new S3SpillError('boom'); } catch (error) {
 *   if (error instanceof S3SpillError) console.log(error.statusCode, error.message); // 500 {"message":"boom"}
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

  /**
   * @param message - plain text for the client and the logs (no URL, key or credential);
   *   stored as `{"message": message}`
   * @param options - `cause`, and the `statusCode` (default 500)
   */
  public constructor(message: string, options?: ErrorOptions & { statusCode?: number }) {
    super(JSON.stringify({ message }), options);
    this.name = 'S3SpillError';
    this.statusCode = options?.statusCode ?? 500;
    this.expose = true;
    this.headers = { 'Cache-Control': 'no-store' };
  }
}

/**
 * The configuration is unusable: thrown when the middleware or wrapper is
 * created (no bucket given and `S3_SPILL_BUCKET` not set; the message says
 * what is wrong), or while answering a request when a user callback (`bucket`,
 * `keyPrefix`, `key`, `metadata`, `tags`, `contentDisposition`, `compress`,
 * `reuse`, `alwaysSpill`, `presign`, an `s3Client` or `signingClient`
 * function) throws or returns a wrong value, or a key or URL is not valid.
 * Then the message is generic and `cause` holds the detail. Answer: 500.
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

/** What the client is told about a configuration problem or an invalid response: nothing about either. */
export const SERVER_PROBLEM_MESSAGE = 'The server could not send this response';

/**
 * A configuration problem found while answering a request: a generic message
 * for the client, the detail (and the user callback's error) as `cause`.
 *
 * @param detail - what is wrong, for the logs (no credential; a bucket name or key may appear)
 * @param original - the error a user callback threw, scrubbed
 */
export function configurationProblem(detail: string, original?: unknown): SpillConfigurationError {
  const cause = original === undefined ? new Error(detail) : new Error(detail, { cause: redactedCause(original) });
  return new SpillConfigurationError(SERVER_PROBLEM_MESSAGE, { cause });
}

/**
 * A result that cannot be sent: a generic message for the client, the detail as `cause`.
 *
 * @param detail - what is wrong with the result, for the logs (never a header's value)
 */
export function invalidResponse(detail: string): InvalidResponseError {
  return new InvalidResponseError(SERVER_PROBLEM_MESSAGE, { cause: new Error(detail) });
}

/** Properties of an AWS SDK or Node.js network error that are safe to log and useful to read. */
const SAFE_CAUSE_PROPERTIES = new Set([
  'name',
  'message',
  'stack',
  'cause',
  'errors',
  '$fault',
  '$metadata',
  '$retryable',
  'Code',
  'code',
  'errno',
  'syscall',
  'address',
  'port',
  'RequestId',
  'HostId',
]);

/** How deep `cause` and `errors` chains are scrubbed. */
const CAUSE_MAX_DEPTH = 3;

/**
 * Make an AWS SDK (or Node.js network) error safe to log, keeping it the same
 * object, so `instanceof`, `name` and `$metadata` still work: every own
 * property outside an allow-list (`name`, `message`, `stack`, `cause`,
 * `errors`, `$metadata`, `$fault`, `$retryable`, `Code`, `code`, `errno`,
 * `syscall`, `address`, `port`, `RequestId`, `HostId`) is deleted, and URL query
 * strings and SigV4 parameters are cut from its text; the same for its
 * `cause` and `errors`. The reason: an S3 error body echoes `CanonicalRequest`,
 * `StringToSign`, `SignatureProvided`, `AWSAccessKeyId` and (for `ExpiredToken`)
 * the session token as `Token-0`, and the SDK copies each element onto the
 * error it throws; `$response` holds the raw response. An error that cannot be
 * changed (frozen) is replaced by a scrubbed copy with the same name.
 *
 * Used by `s3Spill()` on the `cause` of a `SpillUploadError` or `SpillTimeoutError`:
 * an `ExpiredToken` error comes back as the same object, without its `Token-0`.
 *
 * @param error - an error the SDK threw
 * @returns the same error, scrubbed, or a scrubbed copy
 */
export function redactedCause(error: unknown): unknown {
  return scrub(error, 0);
}

function scrub(error: unknown, depth: number): unknown {
  // isNativeError: errors from Node.js itself (ECONNREFUSED) may come from another realm.
  if (!(error instanceof Error) && !isNativeError(error)) {
    return typeof error === 'string' ? redactSecrets(error) : error === undefined || error === null ? error : '[redacted]';
  }
  try {
    scrubInPlace(error, depth);
    return error;
  } catch {
    const copy = new Error(redactSecrets(String(error.message)));
    copy.name = redactSecrets(String(error.name));
    copy.stack = typeof error.stack === 'string' ? redactSecrets(error.stack) : undefined;
    return copy;
  }
}

function scrubInPlace(error: Error, depth: number): void {
  const target = error as unknown as Record<string, unknown>;
  for (const property of Reflect.ownKeys(error)) {
    if (typeof property === 'symbol' || !SAFE_CAUSE_PROPERTIES.has(property)) {
      if (!Reflect.deleteProperty(error, property)) throw new TypeError('cannot scrub');
    }
  }
  for (const property of ['message', 'stack', 'name', 'Code', 'code', 'RequestId', 'HostId', 'address']) {
    const value = target[property];
    if (typeof value === 'string') {
      const clean = redactSecrets(value);
      if (clean !== value && !Reflect.set(target, property, clean)) throw new TypeError('cannot scrub');
    }
  }
  if (target.$metadata !== undefined) target.$metadata = safeMetadata(target.$metadata);
  if (depth >= CAUSE_MAX_DEPTH) {
    Reflect.deleteProperty(error, 'cause');
    Reflect.deleteProperty(error, 'errors');
    return;
  }
  if (error.cause !== undefined) target.cause = scrub(error.cause, depth + 1);
  if (Array.isArray(target.errors)) target.errors = target.errors.slice(0, 5).map((e) => scrub(e, depth + 1));
  else if (target.errors !== undefined) Reflect.deleteProperty(error, 'errors');
}

/** The numbers and ids of the SDK's `$metadata` (status, request ids, attempts, retry delay). */
function safeMetadata(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return {};
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'number' || typeof item === 'boolean') out[key] = item;
    else if (typeof item === 'string') out[key] = redactSecrets(item);
  }
  return out;
}

/**
 * Text with URL query strings and SigV4 material removed: a presigned URL's query
 * is a bearer credential (`X-Amz-Credential`, `X-Amz-Security-Token`, `X-Amz-Signature`).
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/(https?:\/\/[^\s?#"'<>]*)\?[^\s#"'<>]*/gi, '$1?[query redacted]')
    .replace(/X-Amz-(Signature|Credential|Security-Token)[=:]\s*[^\s&,;"'<>]*/gi, '[redacted]')
    .replace(/\b(Credential|Signature|SignedHeaders)=[^\s,;&"'<>]*/g, '$1=[redacted]');
}
