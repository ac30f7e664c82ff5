/**
 * What an S3 failure while checking or reading an upload means for the client:
 * a missing object or a wrong `If-Match` is the reference's fault (400); the
 * rest is the server's (502, or 503 when S3 throttled or time ran out).
 *
 * @module uploads/storage-failure
 */
import { redactedCause } from '../errors.js';
import { InvalidUploadError, UploadStorageError } from './errors.js';

interface SdkErrorShape {
  name?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/**
 * The error to throw for an SDK error while checking or reading an upload.
 *
 * - 404 (`NotFound`, `NoSuchKey`): the object is not there: `InvalidUploadError`.
 * - 403 on `HeadObject`: what S3 answers for a missing key when the reader has
 *   `s3:GetObject` but not `s3:ListBucket` (the grants here give no list), so also
 *   `InvalidUploadError`; the cause says it may be a missing permission. On a
 *   keep (`CopyObject` of an upload already checked), a 403 is a missing
 *   permission (`s3:PutObject` on the destination, `s3:GetObject` on the
 *   upload): `UploadStorageError` 502.
 * - 412 (`PreconditionFailed`, the `If-Match` of the read): the object was
 *   replaced after it was checked: `InvalidUploadError`.
 * - an abort (the deadline) or 503 (`SlowDown`): `UploadStorageError` 503.
 * - anything else (connection refused, 500, ...): `UploadStorageError` 502.
 *
 * @param error - what the SDK threw
 * @param field - the body field, for the error
 * @param action - what failed: checking or reading an upload, or keeping it (`copyTo`)
 */
export function uploadFailure(error: unknown, field: string | undefined, action: 'check' | 'keep' = 'check'): InvalidUploadError | UploadStorageError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const name = typeof e.name === 'string' ? e.name : '';
  const cause = redactedCause(error);
  if (status === 404 || name === 'NotFound' || name === 'NoSuchKey') {
    return new InvalidUploadError('The upload was not found', { field, cause });
  }
  if (status === 403 && action === 'keep') {
    return new UploadStorageError('The upload could not be kept', {
      cause: new Error('S3 answered 403 to CopyObject: a missing s3:PutObject on the destination or s3:GetObject on the upload', { cause }),
    });
  }
  if (status === 403) {
    return new InvalidUploadError('The upload was not found', {
      field,
      cause: new Error('S3 answered 403: a missing object (no s3:ListBucket) or a missing s3:GetObject permission', { cause }),
    });
  }
  if (status === 412 || name === 'PreconditionFailed') {
    return new InvalidUploadError('The upload changed after it was checked', { field, cause });
  }
  if (name === 'AbortError' || name === 'TimeoutError' || status === 503) {
    return new UploadStorageError(action === 'keep' ? 'The upload could not be kept in time' : 'The upload could not be checked in time', { cause, statusCode: 503 });
  }
  return new UploadStorageError(action === 'keep' ? 'The upload could not be kept' : 'The upload could not be checked', { cause });
}
