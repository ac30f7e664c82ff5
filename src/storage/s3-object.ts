/**
 * Storing the spilled body and signing its URL.
 *
 * @module s3-object
 */
import {
  AbortMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { SpillBody } from '../http/body.js';

/** Extra `PutObject` parameters users may set (encryption, storage class, metadata, tagging). */
export type PutObjectParams = Omit<
  PutObjectCommandInput,
  | 'Bucket'
  | 'Key'
  | 'Body'
  | 'ContentLength'
  | 'ContentType'
  | 'ContentEncoding'
  | 'ContentLanguage'
  | 'ContentDisposition'
  | 'CacheControl'
>;

let defaultClient: S3Client | undefined;
let defaultClientsCreated = 0;

/**
 * The S3 client shared by every middleware that was given none: created on the
 * first spill, then reused for the life of the container (one client, one
 * credential resolution).
 */
export function defaultS3Client(): S3Client {
  if (defaultClient === undefined) {
    defaultClient = new S3Client({});
    defaultClientsCreated++;
  }
  return defaultClient;
}

/** How many default clients this process created (1 after any number of spills). */
export function defaultS3ClientsCreated(): number {
  return defaultClientsCreated;
}

/** How to store one object. */
export interface StoreObjectInput {
  readonly client: S3Client;
  readonly bucket: string;
  readonly key: string;
  readonly body: SpillBody;
  readonly params: PutObjectParams;
  /** Bodies of at least this many bytes go up as a multipart upload with parallel parts. */
  readonly multipartThreshold: number;
  /** Part size of a multipart upload, in bytes (at least 5 MiB). */
  readonly partSize: number;
  /** Parts uploaded at once. */
  readonly queueSize: number;
  readonly abortSignal?: AbortSignal;
}

/**
 * Store the body: one `PutObject`, or a multipart upload (`@aws-sdk/lib-storage`)
 * from `multipartThreshold` up, which aborts its upload on failure so no partial
 * object is ever visible. `abortSignal` cancels every request in flight (each
 * part included), so a stalled S3 keeps no socket busy after the deadline.
 */
export async function storeObject(input: StoreObjectInput): Promise<void> {
  const { body } = input;
  const params: PutObjectCommandInput = {
    ...input.params,
    Bucket: input.bucket,
    Key: input.key,
    Body: body.bytes,
    ContentType: body.contentType,
    ContentEncoding: body.contentEncoding,
    ContentLanguage: body.contentLanguage,
    ContentDisposition: body.contentDisposition,
    CacheControl: body.cacheControl,
  };
  if (body.bytes.length < input.multipartThreshold) {
    await input.client.send(new PutObjectCommand({ ...params, ContentLength: body.bytes.length }), {
      abortSignal: input.abortSignal,
    });
    return;
  }
  const abortController = new AbortController();
  const onAbort = (): void => abortController.abort(input.abortSignal?.reason);
  input.abortSignal?.addEventListener('abort', onAbort, { once: true });
  try {
    const upload = new Upload({
      client: forMultipartUpload(input.client, input.abortSignal),
      params,
      partSize: input.partSize,
      queueSize: input.queueSize,
      leavePartsOnError: false,
      abortController,
    });
    await upload.done();
  } finally {
    input.abortSignal?.removeEventListener('abort', onAbort);
  }
}

/** Time given to the `AbortMultipartUpload` that cleans up after a failed multipart upload. */
const ABORT_MULTIPART_TIMEOUT_MS = 5_000;

/**
 * The client as `Upload` should use it:
 * - `abortSignal` goes with every command: `Upload` takes an `AbortController`
 *   but does not pass it to its `UploadPart` requests, which would otherwise run
 *   on (and hold their sockets) after `done()` rejects;
 * - `AbortMultipartUpload`, sent after a failure to discard the parts, gets its
 *   own short timeout (the signal has fired by then), and its failure is
 *   ignored: `Upload` would otherwise throw it in place of the error that
 *   failed the upload. An upload it could not abort stays incomplete, which is
 *   never visible as an object; the bucket's `AbortIncompleteMultipartUpload`
 *   lifecycle rule removes its parts.
 */
export function forMultipartUpload(client: S3Client, abortSignal: AbortSignal | undefined): S3Client {
  const wrapped = Object.create(client) as S3Client;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- forwards S3Client.send's overloads as they are
  const send = (command: any, options?: any): Promise<unknown> => {
    if (command instanceof AbortMultipartUploadCommand) {
      return client
        .send(command, { ...options, abortSignal: AbortSignal.timeout(ABORT_MULTIPART_TIMEOUT_MS) })
        .catch(() => ({}));
    }
    return client.send(command, abortSignal === undefined ? options : { ...options, abortSignal });
  };
  Object.defineProperty(wrapped, 'send', { value: send });
  return wrapped;
}

/**
 * A presigned GET URL for the object, valid `expiresIn` seconds (or less: a URL
 * signed with temporary credentials dies with them).
 */
export async function presignGet(client: S3Client, bucket: string, key: string, expiresIn: number): Promise<string> {
  return getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn });
}
