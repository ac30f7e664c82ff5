/**
 * What an S3 failure while checking, reading or keeping an upload means for
 * the client: a missing object or a failed condition (`If-Match`,
 * `x-amz-copy-source-if-match`) is the reference's fault (400); the rest is
 * the server's (502, or 503 when S3 throttled or time ran out).
 *
 * @module uploads/storage-failure
 */
import { classifyS3Failure } from '../s3/failure.js';
import { InvalidUploadError, UploadStorageError } from './errors.js';

/**
 * The error to throw for an SDK error while checking, reading or keeping an upload.
 *
 * - not found (404, `NotFound`, `NoSuchKey`): the object is not there: `InvalidUploadError`.
 * - 403 on `HeadObject`: what S3 answers for a missing key when the reader has
 *   `s3:GetObject` but not `s3:ListBucket` (the grants here give no list), so also
 *   `InvalidUploadError`; the cause says it may be a missing permission. On a
 *   keep (`CopyObject` of an upload already checked), a 403 is a missing
 *   permission (`s3:PutObject` on the destination, `s3:GetObject` on the
 *   upload): `UploadStorageError` 502.
 * - precondition failed (412, the `If-Match` of the read, the copy source's
 *   condition): the object was replaced after it was checked: `InvalidUploadError`.
 * - a timeout (the deadline) or throttling (503 `SlowDown`): `UploadStorageError` 503.
 * - anything else (connection refused, 500, ...): `UploadStorageError` 502.
 *
 * @param error - what the SDK threw
 * @param field - the body field, for the error
 * @param signal - the deadline's signal
 * @param action - what failed: checking or reading an upload, or keeping it (`copyTo`)
 */
export function uploadFailure(
  error: unknown,
  field: string | undefined,
  signal?: AbortSignal,
  action: 'check' | 'keep' = 'check',
): InvalidUploadError | UploadStorageError {
  const { kind, status } = classifyS3Failure(error, signal);
  const verb = action === 'keep' ? 'kept' : 'checked';
  switch (kind) {
    case 'not-found':
      return new InvalidUploadError('The upload was not found', { field, cause: error });
    case 'precondition-failed':
      return new InvalidUploadError('The upload changed after it was checked', { field, cause: error });
    case 'timeout':
    case 'throttled':
      return new UploadStorageError(`The upload could not be ${verb} in time`, { cause: error, statusCode: 503 });
    case 'other':
      if (status === 403 && action === 'keep') {
        return new UploadStorageError('The upload could not be kept', {
          cause: new Error('S3 answered 403 to CopyObject: a missing s3:PutObject on the destination or s3:GetObject on the upload', { cause: error }),
        });
      }
      if (status === 403) {
        return new InvalidUploadError('The upload was not found', {
          field,
          cause: new Error('S3 answered 403: a missing object (no s3:ListBucket) or a missing s3:GetObject permission', { cause: error }),
        });
      }
      return new UploadStorageError(`The upload could not be ${verb}`, { cause: error });
  }
}
