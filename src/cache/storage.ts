/**
 * The S3 side of the cache: read an entry's metadata (`HeadObject`), its body
 * (`GetObject`, conditional on the entity tag just read), store an entry or a
 * pointer (`PutObject`, multipart for large bodies), sign a URL, and list and
 * delete a target's entries. The SDK is loaded on first use.
 *
 * @module cache/storage
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { SpillBody } from '../http/body.js';
import { deleteObjects } from '../s3/delete.js';
import { classifyS3Failure } from '../s3/failure.js';
import { presignGet } from '../s3/presign.js';
import { getObject as sendGetObject, isSizeMismatch, readExactly } from '../s3/read.js';
import { storeObject } from '../s3/store.js';

export { clientOrDefault as clientFor } from '../s3/client.js';

type Sdk = typeof import('@aws-sdk/client-s3');

let sdk: Promise<Sdk> | undefined;

/** The S3 SDK module, imported once, on first use. */
function loadSdk(): Promise<Sdk> {
  return (sdk ??= import('@aws-sdk/client-s3'));
}

/** What `HeadObject` found at a key. */
export interface Head {
  readonly metadata: Record<string, string> | undefined;
  /** Bytes of the object. */
  readonly bytes: number;
  /** The object's own entity tag, for a conditional `GetObject`. */
  readonly objectEtag: string | undefined;
}

/** Whether an SDK error says the object is not there (404). */
const notFound = (error: unknown): boolean => classifyS3Failure(error).kind === 'not-found';

/**
 * `HeadObject`.
 *
 * @returns what was found, or `undefined` when there is no object
 * @throws the SDK's error for any other failure
 */
export async function headObject(client: S3Client, bucket: string, key: string, signal: AbortSignal | undefined): Promise<Head | undefined> {
  const { HeadObjectCommand } = await loadSdk();
  try {
    const out = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
    return { metadata: out.Metadata, bytes: out.ContentLength ?? 0, objectEtag: out.ETag };
  } catch (error) {
    if (notFound(error)) return undefined;
    throw error;
  }
}

/**
 * The body of an object, only if it is still the one whose metadata was read
 * (`If-Match` its entity tag), exactly `bytes` long (its `HeadObject` size).
 *
 * @returns the bytes, or `undefined` when the object changed or went since
 * @throws the SDK's error for any other failure
 */
export async function getBody(
  client: S3Client,
  bucket: string,
  key: string,
  objectEtag: string | undefined,
  bytes: number,
  signal: AbortSignal | undefined,
): Promise<Buffer | undefined> {
  try {
    const out = await sendGetObject(client, { Bucket: bucket, Key: key, IfMatch: objectEtag }, signal);
    const read = await readExactly(out, bytes);
    return isSizeMismatch(read) ? undefined : Buffer.from(read.buffer, read.byteOffset, read.length);
  } catch (error) {
    const kind = classifyS3Failure(error, signal).kind;
    if (kind === 'not-found' || kind === 'precondition-failed') return undefined;
    throw error;
  }
}

/**
 * `GetObject` of an entry whose body is expected to be small: its metadata, and
 * its body when it is at most `maxBytes` (a larger one is not read: the stream
 * is dropped).
 *
 * @returns what was found, or `undefined` when there is no object
 * @throws the SDK's error for any other failure
 */
export async function getObject(
  client: S3Client,
  bucket: string,
  key: string,
  maxBytes: number,
  signal: AbortSignal | undefined,
): Promise<(Head & { readonly body?: Buffer }) | undefined> {
  try {
    const out = await sendGetObject(client, { Bucket: bucket, Key: key }, signal);
    const bytes = out.ContentLength ?? 0;
    const head = { metadata: out.Metadata, bytes, objectEtag: out.ETag };
    if (bytes > maxBytes) {
      (out.Body as { destroy?: () => void } | undefined)?.destroy?.();
      return head;
    }
    const read = await readExactly(out, bytes);
    return isSizeMismatch(read) ? undefined : { ...head, body: Buffer.from(read.buffer, read.byteOffset, read.length) };
  } catch (error) {
    if (notFound(error)) return undefined;
    throw error;
  }
}

/** Store a body with its content headers and metadata (multipart above 32 MiB, as a spill). */
export async function putObject(
  client: S3Client,
  bucket: string,
  key: string,
  body: SpillBody,
  metadata: Record<string, string>,
  signal: AbortSignal | undefined,
): Promise<void> {
  await storeObject({
    client,
    bucket,
    key,
    body,
    params: { Metadata: metadata },
    multipartThreshold: 32 * 1024 * 1024,
    partSize: 16 * 1024 * 1024,
    queueSize: 8,
    abortSignal: signal,
  });
}

/** A presigned GET URL of an object. */
export async function presign(client: S3Client, bucket: string, key: string, expiresIn: number): Promise<string> {
  return presignGet(client, bucket, key, expiresIn);
}

/**
 * Delete every object under a prefix: `ListObjectsV2` page by page (up to
 * 1,000 keys each), each page's objects deleted at once by the shared
 * `deleteObjects`. A key already gone when its delete ran (a server that
 * answers 404, an invalidation at the same time) is what was asked for, and
 * not counted.
 *
 * @returns how many objects were deleted
 * @throws the SDK's error (raw: scrub it with `redactedCause`) of a list that
 *   failed, or of the first delete that failed otherwise than as not found
 */
export async function deletePrefix(client: S3Client, bucket: string, prefix: string, signal?: AbortSignal): Promise<number> {
  const { ListObjectsV2Command } = await loadSdk();
  let deleted = 0;
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      { abortSignal: signal },
    );
    const keys = (page.Contents ?? []).map((o) => o.Key).filter((k): k is string => k !== undefined);
    const failed = await deleteObjects(client, keys.map((key) => ({ bucket, key })), signal);
    const failure = failed.find(({ error }) => classifyS3Failure(error, signal).kind !== 'not-found');
    if (failure !== undefined) throw failure.error;
    deleted += keys.length - failed.length;
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return deleted;
}
