/**
 * The upload object a handler receives in place of a reference: the web `Blob`
 * interface (`size`, `type`, `arrayBuffer()`, `bytes()`, `text()`, `stream()`)
 * over the S3 object, read lazily (nothing is read until the handler asks), plus
 * `bucket` and `key`. Every read is a `GetObject` with `If-Match` on the ETag
 * that was checked, and the answer's ETag and length are compared too (the
 * local S3 servers ignore `If-Match`), so an object replaced after the check is
 * refused (`InvalidUploadError`) rather than read.
 *
 * @module uploads/upload-object
 */
import type { GetObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { getObject, isSizeMismatch, readExactly } from '../s3/read.js';
import { InvalidUploadError } from './errors.js';
import { uploadFailure } from './storage-failure.js';

/** What is known about a checked upload. */
export interface CheckedUpload {
  readonly client: S3Client;
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  readonly type: string;
  readonly etag: string | undefined;
  readonly field: string | undefined;
}

/**
 * An uploaded file, checked (token, size, content type), read from S3 on demand.
 * `JSON.stringify` gives `{ bucket, key, size, type }`.
 */
export class S3Upload {
  /** Size in bytes, from `HeadObject`. */
  public readonly size: number;
  /** The object's `Content-Type` (`''` when it has none, as `Blob`). */
  public readonly type: string;
  /** The bucket of the object. */
  public readonly bucket: string;
  /** The object's key. */
  public readonly key: string;
  /** The ETag that was checked; every read must match it. */
  public readonly etag: string | undefined;
  readonly #upload: CheckedUpload;
  #bytes: Promise<Uint8Array> | undefined;

  /** @internal Made by `s3Uploads` and `resolveUploads`, after the checks; not for users. */
  public constructor(upload: CheckedUpload) {
    this.size = upload.size;
    this.type = upload.type;
    this.bucket = upload.bucket;
    this.key = upload.key;
    this.etag = upload.etag;
    this.#upload = upload;
  }

  /** `'S3Upload'`, for `Object.prototype.toString`. */
  public get [Symbol.toStringTag](): string {
    return 'S3Upload';
  }

  /** The whole content (read once, then kept). */
  public bytes(): Promise<Uint8Array> {
    this.#bytes ??= readAll(this.#upload);
    this.#bytes.catch(() => {
      this.#bytes = undefined;
    });
    return this.#bytes;
  }

  /** The whole content as an `ArrayBuffer`. */
  public async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.bytes();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  /** The content decoded as UTF-8 (`Blob.text()`). */
  public async text(): Promise<string> {
    return new TextDecoder().decode(await this.bytes());
  }

  /** The content as a web stream, straight from S3 (not kept). */
  public stream(): ReadableStream<Uint8Array> {
    const upload = this.#upload;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let seen = 0;
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        reader ??= (await open(upload)).getReader();
        const { done, value } = await reader.read();
        if (done) {
          if (seen !== upload.size) controller.error(changed(upload, `read ${seen} bytes, checked ${upload.size}`));
          else controller.close();
          return;
        }
        seen += value.byteLength;
        controller.enqueue(value);
      },
      async cancel(reason) {
        await reader?.cancel(reason);
      },
    });
  }

  /** What `JSON.stringify` shows: where it is and what it is, no secret. */
  public toJSON(): Pick<S3Upload, 'bucket' | 'key' | 'size' | 'type'> {
    return { bucket: this.bucket, key: this.key, size: this.size, type: this.type };
  }
}

function changed(upload: CheckedUpload, detail: string): InvalidUploadError {
  return new InvalidUploadError('The upload changed after it was checked', { field: upload.field, cause: new Error(detail) });
}

/** `GetObject` with `If-Match`, refused when its ETag or length is not what was checked. */
async function fetchChecked(upload: CheckedUpload, abortSignal?: AbortSignal): Promise<GetObjectCommandOutput> {
  let output;
  try {
    output = await getObject(upload.client, { Bucket: upload.bucket, Key: upload.key, IfMatch: upload.etag }, abortSignal);
  } catch (error) {
    throw uploadFailure(error, upload.field, abortSignal);
  }
  if (upload.etag !== undefined && output.ETag !== upload.etag) {
    await output.Body?.transformToWebStream().cancel();
    throw changed(upload, 'the ETag of the read differs from the one checked');
  }
  if (output.ContentLength !== undefined && output.ContentLength !== upload.size) {
    await output.Body?.transformToWebStream().cancel();
    throw changed(upload, `the read has ${output.ContentLength} bytes, ${upload.size} were checked`);
  }
  if (output.Body === undefined) throw changed(upload, 'the read has no body');
  return output;
}

async function open(upload: CheckedUpload): Promise<ReadableStream<Uint8Array>> {
  return (await fetchChecked(upload)).Body!.transformToWebStream() as ReadableStream<Uint8Array>;
}

/**
 * Read the whole object, refusing it if it is not what was checked.
 *
 * @param abortSignal - cancels the read (the deadline of the whole-body mode)
 */
export async function readAll(upload: CheckedUpload, abortSignal?: AbortSignal): Promise<Uint8Array> {
  const output = await fetchChecked(upload, abortSignal);
  let bytes;
  try {
    bytes = await readExactly(output, upload.size);
  } catch (error) {
    throw uploadFailure(error, upload.field, abortSignal);
  }
  if (isSizeMismatch(bytes)) throw changed(upload, bytes.problem);
  return bytes;
}
