/**
 * The error shape every utility shares (spill, offload, uploads, and those to
 * come): a base class, {@link S3SpillError}, that each utility's errors extend,
 * with `name`, `statusCode`, `expose`, `headers` and a scrubbed `cause`, and a
 * brand so `instanceof` holds across two loaded copies of the modules (see
 * `errors/brand.ts`). Each carries an HTTP
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
 * @module errors/base
 */
import { brandClasses, hasBrand } from './brand.js';
import { redactedCause } from './redact.js';

/**
 * Base class of every error this library throws, whichever utility throws it.
 * `instanceof` holds for an error made by another loaded copy of the library.
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
   * @param options - `cause` (scrubbed of credentials, see `redactedCause`), and the `statusCode` (default 500)
   */
  public constructor(message: string, options?: ErrorOptions & { statusCode?: number }) {
    super(JSON.stringify({ message }), options?.cause === undefined ? undefined : { cause: redactedCause(options.cause) });
    this.name = 'S3SpillError';
    this.statusCode = options?.statusCode ?? 500;
    this.expose = true;
    this.headers = { 'Cache-Control': 'no-store' };
  }

  /** `instanceof` by brand: true for an error of this class made by any loaded copy of the library. */
  public static [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(this, value);
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

// Object keys, not class names: a minifier renames classes.
brandClasses({ S3SpillError, SpillConfigurationError });
