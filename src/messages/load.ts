/**
 * Reading an offloaded body: `GetObject`, exactly the size the attribute says
 * (a larger object is cut off at that size and refused), decoded as UTF-8 with
 * a leading BOM kept. Loaded at the first large message.
 *
 * @module messages/load
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { redactedCause } from '../errors.js';
import { LargeMessageIntegrityError, LargeMessageLoadError } from './errors.js';
import type { PayloadPointer } from './format.js';

export { defaultS3Client } from '../storage/s3-object.js';

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
  let answer;
  try {
    answer = await client.send(new GetObjectCommand({ Bucket: pointer.bucket, Key: pointer.key }));
  } catch (error) {
    throw loadFailure(error, messageId, where);
  }
  const body = answer.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
  if (body === undefined) throw mismatch('came without a body');
  if (answer.ContentLength !== undefined && answer.ContentLength !== bytes) {
    body.destroy?.();
    throw mismatch(`is ${answer.ContentLength} bytes; the message says ${bytes}`);
  }
  const out = Buffer.allocUnsafe(bytes);
  let length = 0;
  try {
    for await (const chunk of body) {
      if (length + chunk.byteLength > bytes) {
        body.destroy?.();
        throw mismatch(`is larger than the ${bytes} bytes the message says`);
      }
      out.set(chunk, length);
      length += chunk.byteLength;
    }
  } catch (error) {
    if (error instanceof LargeMessageIntegrityError) throw error;
    throw loadFailure(error, messageId, where);
  }
  if (length !== bytes) throw mismatch(`is ${length} bytes; the message says ${bytes}`);
  try {
    return UTF8.decode(out);
  } catch {
    throw mismatch('is not UTF-8 text');
  }
}

function loadFailure(error: unknown, messageId: string, where: string): LargeMessageLoadError {
  const e = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } } | undefined;
  const status = e?.$metadata?.httpStatusCode;
  const notFound = e?.name === 'NoSuchKey' || e?.name === 'NotFound' || status === 404;
  const detail = notFound
    ? 'is not there (expired, deleted after an earlier delivery, or never written)'
    : status === 403
      ? 'could not be read: access denied (a missing object without s3:ListBucket, or no s3:GetObject on it)'
      : 'could not be read';
  return new LargeMessageLoadError(`Message ${messageId}: the object ${where} ${detail}`, { messageId, notFound }, { cause: redactedCause(error) });
}
