/**
 * Scrubbing what an error carries before it is logged: an AWS SDK error copies
 * S3's error body (which echoes credentials) onto itself, and a presigned URL's
 * query is a bearer credential.
 *
 * @module errors/redact
 */
import { isNativeError } from 'node:util/types';

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
