/**
 * What an S3 failure while checking or reading an upload means for the client:
 * a missing object or a wrong `If-Match` is the reference's fault (400); the
 * rest is the server's (502, or 503 when S3 throttled or time ran out).
 *
 * @module uploads/storage-failure
 */
import { classifyS3Failure } from '../s3/failure.js';
import { InvalidUploadError, UploadStorageError } from './errors.js';

/**
 * The error to throw for an SDK error while checking or reading an upload.
 *
 * - not found (404, `NotFound`, `NoSuchKey`): the object is not there: `InvalidUploadError`.
 * - 403 on `HeadObject`: what S3 answers for a missing key when the reader has
 *   `s3:GetObject` but not `s3:ListBucket` (the grants here give no list), so also
 *   `InvalidUploadError`; the cause says it may be a missing permission.
 * - precondition failed (412, the `If-Match` of the read): the object was
 *   replaced after it was checked: `InvalidUploadError`.
 * - a timeout (the deadline) or throttling (503 `SlowDown`): `UploadStorageError` 503.
 * - anything else (connection refused, 500, ...): `UploadStorageError` 502.
 *
 * @param error - what the SDK threw
 * @param field - the body field, for the error
 * @param signal - the deadline's signal
 */
export function uploadFailure(error: unknown, field: string | undefined, signal?: AbortSignal): InvalidUploadError | UploadStorageError {
  const { kind, status } = classifyS3Failure(error, signal);
  switch (kind) {
    case 'not-found':
      return new InvalidUploadError('The upload was not found', { field, cause: error });
    case 'precondition-failed':
      return new InvalidUploadError('The upload changed after it was checked', { field, cause: error });
    case 'timeout':
    case 'throttled':
      return new UploadStorageError('The upload could not be checked in time', { cause: error, statusCode: 503 });
    case 'other':
      if (status === 403) {
        return new InvalidUploadError('The upload was not found', {
          field,
          cause: new Error('S3 answered 403: a missing object (no s3:ListBucket) or a missing s3:GetObject permission', { cause: error }),
        });
      }
      return new UploadStorageError('The upload could not be checked', { cause: error });
  }
}
