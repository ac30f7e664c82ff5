/**
 * Storing an object: one `PutObject`, or a multipart upload with parallel
 * parts (`@aws-sdk/lib-storage`). The SDK modules load on first use.
 *
 * @module s3/store
 */
import type { AbortMultipartUploadCommand as AbortCommand, PutObjectCommandInput, S3Client } from '@aws-sdk/client-s3';
import type { ContentHeaders, SpillBody } from '../http/body.js';

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
    const { PutObjectCommand } = await import('@aws-sdk/client-s3');
    await input.client.send(new PutObjectCommand({ ...params, ContentLength: body.bytes.length }), {
      abortSignal: input.abortSignal,
    });
    return;
  }
  await uploadMultipart(input.client, params, input.partSize, input.queueSize, input.abortSignal);
}

/** How to store a body of unknown length (a stream) as one object. */
export interface StoreStreamInput {
  readonly client: S3Client;
  readonly bucket: string;
  readonly key: string;
  /** The bytes, as they come; the upload reads them as it sends its parts. */
  readonly body: AsyncIterable<Uint8Array>;
  /** The object's content headers. */
  readonly headers: ContentHeaders;
  readonly params: PutObjectParams;
  /** Part size of the multipart upload, in bytes (at least 5 MiB). */
  readonly partSize: number;
  /** Parts uploaded at once. */
  readonly queueSize: number;
  readonly abortSignal?: AbortSignal;
}

/**
 * Store a stream as one object with `@aws-sdk/lib-storage`'s `Upload`: one
 * `PutObject` when it ends within one part, else a multipart upload. What it
 * holds: the parts in flight and the one it fills. A body that fails, an S3
 * failure or `abortSignal` aborts the upload: no object is completed and the
 * multipart upload is aborted.
 */
export async function storeStream(input: StoreStreamInput): Promise<void> {
  const { headers } = input;
  const params: PutObjectCommandInput = {
    ...input.params,
    Bucket: input.bucket,
    Key: input.key,
    // The builtin is taken on use: an ESM bundle hoists a static import of it to its top, paid by every cold start.
    Body: process.getBuiltinModule('node:stream').Readable.from(input.body, { objectMode: false, highWaterMark: 64 * 1024 }),
    ContentType: headers.contentType,
    ContentEncoding: headers.contentEncoding,
    ContentLanguage: headers.contentLanguage,
    ContentDisposition: headers.contentDisposition,
    CacheControl: headers.cacheControl,
  };
  await uploadMultipart(input.client, params, input.partSize, input.queueSize, input.abortSignal);
}

/** `Upload` with its parts aborted on failure and every request cancelled by `abortSignal`. */
async function uploadMultipart(
  client: S3Client,
  params: PutObjectCommandInput,
  partSize: number,
  queueSize: number,
  abortSignal: AbortSignal | undefined,
): Promise<void> {
  const [{ AbortMultipartUploadCommand }, { Upload }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/lib-storage'),
  ]);
  const abortController = new AbortController();
  const onAbort = (): void => abortController.abort(abortSignal?.reason);
  abortSignal?.addEventListener('abort', onAbort, { once: true });
  try {
    const upload = new Upload({
      client: forMultipartUpload(client, abortSignal, AbortMultipartUploadCommand),
      params,
      partSize,
      queueSize,
      leavePartsOnError: false,
      abortController,
    });
    if (abortSignal?.aborted === true) abortController.abort(abortSignal.reason);
    await upload.done();
  } finally {
    abortSignal?.removeEventListener('abort', onAbort);
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
function forMultipartUpload(
  client: S3Client,
  abortSignal: AbortSignal | undefined,
  AbortMultipartUploadCommand: typeof AbortCommand,
): S3Client {
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
