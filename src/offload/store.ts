/**
 * Storing a result's JSON text in S3 and making its reference. Loaded on the
 * first offload, so a function whose results fit never loads the S3 client.
 *
 * @module offload/store
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { beforeDeadline } from '../lambda/deadline.js';
import { classifyS3Failure } from '../s3/failure.js';
import { storeObject, type PutObjectParams } from '../s3/store.js';
import { OffloadStoreError, OffloadTimeoutError, type S3OffloadError } from './errors.js';
import { makeReference, OFFLOAD_CONTENT_TYPE, type OffloadReference } from './reference.js';

/**
 * Objects of at least this many bytes go up as a multipart upload. Not an
 * option, and not measured for offload: higher than the spill's
 * `multipartThreshold` default (32 MiB, measured by `npm run bench`, section 9),
 * so a value up to the readers' default `maxResolveBytes` (100 MiB) goes up in
 * one `PutObject`.
 */
const MULTIPART_THRESHOLD = 100 * 1024 * 1024;
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 4;

/** How to store one value. */
export interface StoreValueInput {
  readonly client: S3Client;
  readonly bucket: string;
  readonly key: string;
  /** The value's JSON text. */
  readonly text: string;
  readonly params: PutObjectParams;
  /** Fires at the deadline. */
  readonly abortSignal: AbortSignal | undefined;
}

/**
 * Store `text` under `key` and return its reference (size and SHA-256 of its
 * UTF-8 bytes).
 *
 * @throws OffloadTimeoutError when the signal fired first
 * @throws OffloadStoreError when S3 failed (`cause`: the SDK error, scrubbed)
 */
export async function storeValue(input: StoreValueInput): Promise<OffloadReference> {
  const bytes = Buffer.from(input.text, 'utf8');
  const sha256 = process.getBuiltinModule('node:crypto').createHash('sha256').update(bytes).digest('hex');
  try {
    await beforeDeadline(
      storeObject({
        client: input.client,
        bucket: input.bucket,
        key: input.key,
        body: { bytes, contentType: OFFLOAD_CONTENT_TYPE },
        params: input.params,
        multipartThreshold: MULTIPART_THRESHOLD,
        partSize: PART_SIZE,
        queueSize: QUEUE_SIZE,
        abortSignal: input.abortSignal,
      }),
      input.abortSignal,
    );
  } catch (error) {
    throw storeFailure(error, input.abortSignal);
  }
  return makeReference(input.bucket, input.key, bytes.length, sha256);
}

function storeFailure(error: unknown, signal: AbortSignal | undefined): S3OffloadError {
  if (classifyS3Failure(error, signal).kind === 'timeout') {
    return new OffloadTimeoutError('The result could not be stored before the deadline', { cause: error, phase: 'store' });
  }
  return new OffloadStoreError('The result was too large to return and could not be stored', { cause: error });
}
