/**
 * Reading an offloaded body: `GetObject`, exactly the size the attribute says
 * (a larger object is cut off at that size and refused), decoded as UTF-8 with
 * a leading BOM kept, through the shared exact read (the SDK is imported there,
 * at the first large message).
 *
 * @module messages/load
 */
import { classifyS3Failure } from '../s3/failure.js';
import { getObject, isSizeMismatch, readExactly } from '../s3/read.js';
import type { S3Client } from '@aws-sdk/client-s3';
import { LargeMessageIntegrityError, LargeMessageLoadError } from './errors.js';
import type { PayloadPointer } from './format.js';

/** Strict UTF-8 that keeps a byte order mark (`TextDecoder` drops it by default). */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The body text the pointer names.
 *
 * @param bytes - the size attribute's value
 * @param messageId - for the errors
 * @throws LargeMessageLoadError (not found, or S3 failed); LargeMessageIntegrityError (size, not UTF-8)
 */
export async function loadBody(client: S3Client, pointer: PayloadPointer, bytes: number, messageId: string): Promise<string> {
  const where = `(bucket ${pointer.bucket}, key ${pointer.key})`;
  const mismatch = (detail: string): LargeMessageIntegrityError =>
    new LargeMessageIntegrityError(`Message ${messageId}: the object ${where} ${detail}`, { messageId });
  let read;
  try {
    read = await readExactly(await getObject(client, { Bucket: pointer.bucket, Key: pointer.key }), bytes);
  } catch (error) {
    throw loadFailure(error, messageId, where);
  }
  if (isSizeMismatch(read)) throw mismatch(`does not match the size attribute: ${read.problem}`);
  try {
    return UTF8.decode(read);
  } catch {
    throw mismatch('is not UTF-8 text');
  }
}

function loadFailure(error: unknown, messageId: string, where: string): LargeMessageLoadError {
  const { kind, status } = classifyS3Failure(error);
  const notFound = kind === 'not-found';
  const detail = notFound
    ? 'is not there (expired, deleted after an earlier delivery, or never written)'
    : status === 403
      ? 'could not be read: access denied (a missing object without s3:ListBucket, or no s3:GetObject on it)'
      : 'could not be read';
  return new LargeMessageLoadError(`Message ${messageId}: the object ${where} ${detail}`, { messageId, notFound }, { cause: error });
}
