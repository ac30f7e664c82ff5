/**
 * The upload object a handler receives in place of a reference: the web `Blob`
 * interface (`size`, `type`, `arrayBuffer()`, `bytes()`, `text()`, `stream()`,
 * `slice()`) over the S3 object, read lazily (nothing is read until the
 * handler asks), plus `bucket` and `key`, and `copyTo()` to keep it. Every read
 * is a `GetObject` with `If-Match` on the ETag that was checked (a slice's with
 * a `Range`), and the answer's ETag and length are compared too (the local S3
 * servers ignore `If-Match`), so an object replaced after the check is refused
 * (`InvalidUploadError`) rather than read.
 *
 * @module uploads/upload-object
 */
import type { GetObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { getObject, isSizeMismatch, readExactly } from '../s3/read.js';
import { sliceBounds, sliceType } from './blob-slice.js';
import { InvalidUploadError } from './errors.js';
import { keepUpload, type KeepSource, type KeptUpload, type KeepUploadOptions } from './keep.js';
import { uploadFailure } from './storage-failure.js';

/** What is known about a checked upload (from its `HeadObject`). */
export interface CheckedUpload extends KeepSource {
  readonly client: S3Client;
  readonly size: number;
  readonly type: string;
  readonly field: string | undefined;
}

/** The bytes of the object a Blob-like upload covers: all of it, or a slice. */
interface ObjectView {
  readonly upload: CheckedUpload;
  /** First byte, in the object. */
  readonly start: number;
  readonly size: number;
}

/**
 * An uploaded file, checked (token, size, content type), read from S3 on demand.
 * `JSON.stringify` gives `{ bucket, key, size, type }`.
 */
export class S3Upload {
  /** Size in bytes, from `HeadObject` (a slice's: the bytes it covers). */
  public readonly size: number;
  /** The object's `Content-Type` (`''` when it has none, as `Blob`; a slice's: the type given to `slice`). */
  public readonly type: string;
  /** The bucket of the object. */
  public readonly bucket: string;
  /** The object's key. */
  public readonly key: string;
  /** The ETag that was checked; every read must match it. */
  public readonly etag: string | undefined;
  readonly #view: ObjectView;
  /** Whether this is a slice (a part of the object, or another type): it cannot be kept. */
  readonly #sliced: boolean;
  #bytes: Promise<Uint8Array> | undefined;

  /** @internal Made by `s3Uploads` and `resolveUploads`, after the checks, and by `slice`; not for users. */
  public constructor(upload: CheckedUpload, slice?: { readonly start: number; readonly size: number; readonly type: string }) {
    this.size = slice?.size ?? upload.size;
    this.type = slice?.type ?? upload.type;
    this.bucket = upload.bucket;
    this.key = upload.key;
    this.etag = upload.etag;
    this.#view = { upload, start: slice?.start ?? 0, size: this.size };
    this.#sliced = slice !== undefined;
  }

  /** `'S3Upload'`, for `Object.prototype.toString`. */
  public get [Symbol.toStringTag](): string {
    return 'S3Upload';
  }

  /** The whole content (read once, then kept). */
  public bytes(): Promise<Uint8Array> {
    this.#bytes ??= readView(this.#view);
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
    const view = this.#view;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let seen = 0;
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (view.size === 0) return controller.close();
        reader ??= (await open(view)).getReader();
        const { done, value } = await reader.read();
        if (done) {
          if (seen !== view.size) controller.error(changed(view.upload, `read ${seen} bytes, expected ${view.size}`));
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

  /**
   * A part of the upload, as `Blob.slice`: `start` and `end` count from the
   * end when negative and are held within the upload (`end` is exclusive);
   * `type` is `contentType` in lower case, or `''`. The slice is an
   * `S3Upload` too (sliceable again), read on demand with a ranged
   * `GetObject` on the checked ETag; an empty slice reads nothing.
   *
   * @param start - first byte (default 0)
   * @param end - byte after the last (default: the size)
   * @param contentType - the slice's `type` (default `''`)
   * @example
   * ```ts
   * import type { S3Upload } from 'lambda-s3-spill/uploads';
   * declare const upload: S3Upload;
   * const header = await upload.slice(0, 512).bytes(); // the first 512 bytes: one ranged GetObject
   * console.log(header.byteLength);
   * ```
   */
  public slice(start?: number, end?: number, contentType?: string): S3Upload {
    const bounds = sliceBounds(this.size, start, end);
    return new S3Upload(this.#view.upload, { start: this.#view.start + bounds.start, size: bounds.size, type: sliceType(contentType) });
  }

  /**
   * Keep the upload: copy it server-side with one `CopyObject` (the bytes
   * never pass through the function) to `key` in `bucket` (default: the
   * upload's), before the uploads prefix's lifecycle rule removes it. The copy
   * is made only from the checked object (`x-amz-copy-source-if-match` on its
   * ETag: S3 refuses an object replaced after the check), and keeps its
   * content headers (type, encoding, disposition, language, cache control)
   * and its user metadata, but for the form's own check fields (the token,
   * the expiry); `putObjectParams` (storage class, encryption, tags, more
   * metadata) apply to the copy.
   *
   * Needs `s3:GetObject` on the upload and `s3:PutObject` on the destination
   * (`SpillBucket`'s `grantUploadKeep`), `s3:PutObjectTagging` with `Tagging`.
   *
   * @param options - `{ key, bucket?, putObjectParams? }`; the key is checked before any request
   * @returns where the copy is: `{ bucket, key, etag, size }`
   * @throws TypeError for a wrong argument, a key under the uploads prefix of
   *   the upload's bucket, or a slice (only a whole upload is kept); nothing was sent
   * @throws InvalidUploadError (400) when the upload changed after it was checked, or is gone
   * @throws UploadStorageError (502; 503 when S3 throttled) when S3 failed or refused (a missing permission)
   * @example
   * ```ts
   * import type { S3Upload } from 'lambda-s3-spill/uploads';
   * declare const photo: S3Upload;
   * const kept = await photo.copyTo({ key: `photos/${crypto.randomUUID()}.jpg`, putObjectParams: { StorageClass: 'STANDARD_IA' } });
   * console.log(kept.bucket, kept.key, kept.size);
   * ```
   */
  public async copyTo(options: KeepUploadOptions): Promise<KeptUpload> {
    if (this.#sliced) throw new TypeError('copyTo keeps a whole upload; a slice cannot be copied');
    return keepUpload(this.#view.upload.client, this.#view.upload, options);
  }

  /** What `JSON.stringify` shows: where it is and what it is, no secret. */
  public toJSON(): Pick<S3Upload, 'bucket' | 'key' | 'size' | 'type'> {
    return { bucket: this.bucket, key: this.key, size: this.size, type: this.type };
  }
}

function changed(upload: CheckedUpload, detail: string): InvalidUploadError {
  return new InvalidUploadError('The upload changed after it was checked', { field: upload.field, cause: new Error(detail) });
}

/**
 * `GetObject` of the view with `If-Match` (the whole object, or its bytes
 * `start` to `start + size - 1` with `Range`), refused when its ETag, length
 * or range is not what was checked. Not for an empty view.
 */
async function fetchChecked(view: ObjectView, abortSignal?: AbortSignal): Promise<GetObjectCommandOutput> {
  const { upload, start, size } = view;
  const whole = start === 0 && size === upload.size;
  const range = whole ? undefined : `bytes=${start}-${start + size - 1}`;
  let output: GetObjectCommandOutput;
  try {
    output = await getObject(upload.client, { Bucket: upload.bucket, Key: upload.key, IfMatch: upload.etag, Range: range }, abortSignal);
  } catch (error) {
    throw uploadFailure(error, upload.field, abortSignal);
  }
  const refuse = async (detail: string): Promise<never> => {
    await output.Body?.transformToWebStream().cancel();
    throw changed(upload, detail);
  };
  if (upload.etag !== undefined && output.ETag !== upload.etag) await refuse('the ETag of the read differs from the one checked');
  if (output.ContentLength !== undefined && output.ContentLength !== size) {
    await refuse(`the read has ${output.ContentLength} bytes, ${size} were asked for`);
  }
  // A ranged answer names the object's size: another size is another object.
  if (range !== undefined && output.ContentRange !== undefined && output.ContentRange !== `bytes ${start}-${start + size - 1}/${upload.size}`) {
    await refuse(`the read covers ${output.ContentRange}, asked for ${range} of ${upload.size}`);
  }
  if (output.Body === undefined) throw changed(upload, 'the read has no body');
  return output;
}

async function open(view: ObjectView): Promise<ReadableStream<Uint8Array>> {
  return (await fetchChecked(view)).Body!.transformToWebStream() as ReadableStream<Uint8Array>;
}

/**
 * Read the whole object, refusing it if it is not what was checked.
 *
 * @param abortSignal - cancels the read (the deadline of the whole-body mode)
 */
export function readAll(upload: CheckedUpload, abortSignal?: AbortSignal): Promise<Uint8Array> {
  return readView({ upload, start: 0, size: upload.size }, abortSignal);
}

/** Read the bytes of a view (none for an empty one: no request), refusing them if they are not what was checked. */
async function readView(view: ObjectView, abortSignal?: AbortSignal): Promise<Uint8Array> {
  // No request: `bytes=10-9` is no empty range to S3, it answers the whole object.
  if (view.size === 0) return new Uint8Array(0);
  const output = await fetchChecked(view, abortSignal);
  let bytes;
  try {
    bytes = await readExactly(output, view.size);
  } catch (error) {
    throw uploadFailure(error, view.upload.field, abortSignal);
  }
  if (isSizeMismatch(bytes)) throw changed(view.upload, bytes.problem);
  return bytes;
}
