/**
 * The one classification of an S3 failure, which each utility maps to its own
 * typed errors: the deadline came first, the object is not there, a condition
 * (`If-Match`, `If-None-Match`) failed, S3 throttled, or anything else.
 *
 * @module s3/failure
 */

/** What an S3 failure means. */
export type S3FailureKind = 'timeout' | 'not-found' | 'precondition-failed' | 'throttled' | 'other';

/** An S3 failure, classified. */
export interface S3Failure {
  readonly kind: S3FailureKind;
  /** The HTTP status S3 answered, when it answered (`403` without `s3:ListBucket` for a missing key, `409` for a conditional write in flight). */
  readonly status: number | undefined;
}

/**
 * Classify what the SDK (or the deadline) threw:
 * - `timeout`: `signal` fired, or the error is an `AbortError` / `TimeoutError`;
 * - `not-found`: 404, `NoSuchKey`, `NotFound`;
 * - `precondition-failed`: 412, `PreconditionFailed`;
 * - `throttled`: 503 or 429, `SlowDown`, `ThrottlingException`;
 * - `other`: the rest (connection refused, 500, 403, ...).
 *
 * @param error - what was thrown
 * @param signal - the deadline's signal, when there is one
 */
export function classifyS3Failure(error: unknown, signal?: AbortSignal): S3Failure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : statusOfName(e.name);
  const name = typeof e.name === 'string' ? e.name : '';
  if (signal?.aborted === true || name === 'AbortError' || name === 'TimeoutError') return { kind: 'timeout', status };
  if (status === 404 || name === 'NoSuchKey' || name === 'NotFound') return { kind: 'not-found', status };
  if (status === 412 || name === 'PreconditionFailed') return { kind: 'precondition-failed', status };
  if (status === 503 || status === 429 || name === 'SlowDown' || name === 'ThrottlingException') return { kind: 'throttled', status };
  return { kind: 'other', status };
}

/** The status of an error that came without `$metadata` (a mock, a rethrown copy). */
function statusOfName(name: unknown): number | undefined {
  if (name === 'PreconditionFailed') return 412;
  if (name === 'ConditionalRequestConflict') return 409;
  return undefined;
}
