/**
 * Keeping an upload: one server-side `CopyObject` of the checked object to a
 * key outside the uploads prefix (which a lifecycle rule empties), so the
 * bytes never pass through the function. The request is planned here (pure:
 * the argument checks and the `CopyObject` input) and sent by `keepUpload`.
 *
 * One `CopyObject` is enough: an upload is at most 5 GiB (one POST,
 * `POST_OBJECT_MAX_BYTES`), which is also `CopyObject`'s limit (Amazon S3 API
 * Reference, "CopyObject": "You can store individual objects of up to 5 TB in
 * Amazon S3. You create a copy of your object up to 5 GB in size in a single
 * atomic action using this API").
 *
 * @module uploads/keep
 */
import type { CopyObjectCommandInput, S3Client } from '@aws-sdk/client-s3';
import { checkBucketName, mergeOptions } from '../options/resolve.js';
import { keyProblem } from '../s3/keys.js';
import { EXPIRES_METADATA, TOKEN_METADATA } from './policy.js';
import { uploadFailure } from './storage-failure.js';

/**
 * What a kept copy may set besides the kept content headers and metadata:
 * storage class, encryption, tags (they replace the upload's), object lock,
 * ACL grants, and more `Metadata` (added to the kept metadata; a name given
 * here wins). Never what the copy is: its content and content headers are the upload's.
 */
export type KeepObjectParams = Pick<
  CopyObjectCommandInput,
  | 'ACL'
  | 'BucketKeyEnabled'
  | 'ChecksumAlgorithm'
  | 'ExpectedBucketOwner'
  | 'GrantFullControl'
  | 'GrantRead'
  | 'GrantReadACP'
  | 'GrantWriteACP'
  | 'Metadata'
  | 'ObjectLockLegalHoldStatus'
  | 'ObjectLockMode'
  | 'ObjectLockRetainUntilDate'
  | 'RequestPayer'
  | 'SSECustomerAlgorithm'
  | 'SSECustomerKey'
  | 'SSECustomerKeyMD5'
  | 'SSEKMSEncryptionContext'
  | 'SSEKMSKeyId'
  | 'ServerSideEncryption'
  | 'StorageClass'
  | 'Tagging'
  | 'WebsiteRedirectLocation'
>;

/** The names of {@link KeepObjectParams}, for the check at run time (the type keeps the two equal). */
const KEEP_OBJECT_PARAMS: Readonly<Record<keyof KeepObjectParams, true>> = {
  ACL: true,
  BucketKeyEnabled: true,
  ChecksumAlgorithm: true,
  ExpectedBucketOwner: true,
  GrantFullControl: true,
  GrantRead: true,
  GrantReadACP: true,
  GrantWriteACP: true,
  Metadata: true,
  ObjectLockLegalHoldStatus: true,
  ObjectLockMode: true,
  ObjectLockRetainUntilDate: true,
  RequestPayer: true,
  SSECustomerAlgorithm: true,
  SSECustomerKey: true,
  SSECustomerKeyMD5: true,
  SSEKMSEncryptionContext: true,
  SSEKMSKeyId: true,
  ServerSideEncryption: true,
  StorageClass: true,
  Tagging: true,
  WebsiteRedirectLocation: true,
};

/** Where and how to keep an upload (`S3Upload.copyTo`). */
export interface KeepUploadOptions {
  /**
   * The destination bucket.
   * @default - the upload's bucket
   */
  readonly bucket?: string;
  /**
   * The destination key: checked as every key the library writes (1 to 1,024
   * UTF-8 bytes, no leading `/`, no `.` or `..` segment, no control
   * character), and not under the uploads prefix of the upload's bucket (its
   * lifecycle rule would delete the copy).
   */
  readonly key: string;
  /** Storage class, encryption, tags, more metadata for the copy. @default {} */
  readonly putObjectParams?: KeepObjectParams;
}

/** Where a kept copy is. */
export interface KeptUpload {
  /** The copy's bucket. */
  readonly bucket: string;
  /** The copy's key. */
  readonly key: string;
  /** The copy's ETag, as `CopyObject` answered it. */
  readonly etag: string | undefined;
  /** Bytes, the upload's size. */
  readonly size: number;
}

/** What is known of the upload to keep (from its `HeadObject`). */
export interface KeepSource {
  readonly bucket: string;
  readonly key: string;
  /** The uploads prefix the key was checked under. */
  readonly keyPrefix: string;
  readonly etag: string | undefined;
  readonly contentType: string | undefined;
  readonly contentEncoding: string | undefined;
  readonly contentDisposition: string | undefined;
  readonly contentLanguage: string | undefined;
  readonly cacheControl: string | undefined;
  /** The object's metadata, names in lower case. */
  readonly metadata: Readonly<Record<string, string>>;
}

/** Every argument of `copyTo`, the undefined ones included; frozen. */
export const keepUploadDefaults = Object.freeze({
  bucket: undefined as string | undefined,
  key: undefined as string | undefined,
  putObjectParams: {} as KeepObjectParams,
});

/**
 * The `CopyObject` input that keeps `source` as `options` say: the copy source
 * on condition of the checked ETag (`x-amz-copy-source-if-match`), the
 * metadata replaced (`MetadataDirective: 'REPLACE'`) by the upload's own
 * without the form's check fields (the token, the expiry), the content headers
 * sent again (a replace drops them otherwise), then `putObjectParams`.
 *
 * @throws TypeError naming the argument that is wrong; nothing was sent
 */
export function keepRequest(source: KeepSource, options: KeepUploadOptions): CopyObjectCommandInput {
  const merged = mergeOptions(options, keepUploadDefaults, 'copyTo');
  const bucket = merged.bucket ?? source.bucket;
  checkBucketName('copyTo bucket', bucket);
  const { key } = merged;
  if (typeof key !== 'string') throw new TypeError('copyTo key must be a string');
  const problem = keyProblem(key);
  if (problem !== undefined) throw new TypeError(`copyTo key ${problem}`);
  if (bucket === source.bucket && key.startsWith(source.keyPrefix)) {
    throw new TypeError('copyTo key is under the uploads prefix, which its lifecycle rule empties');
  }
  const params = merged.putObjectParams;
  if (typeof params !== 'object' || params === null) throw new TypeError('copyTo putObjectParams must be an object');
  const refused = Object.keys(params).filter((name) => !Object.hasOwn(KEEP_OBJECT_PARAMS, name));
  if (refused.length > 0) {
    throw new TypeError(`copyTo putObjectParams cannot set ${refused.join(', ')} (a copy keeps the upload's content and content headers)`);
  }
  const { Metadata: extraMetadata, ...rest } = params;
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(source.metadata)) {
    if (name !== TOKEN_METADATA && name !== EXPIRES_METADATA) metadata[name] = value;
  }
  for (const [name, value] of Object.entries(extraMetadata ?? {})) metadata[name.toLowerCase()] = value;
  return {
    ...rest,
    Bucket: bucket,
    Key: key,
    CopySource: `${source.bucket}/${source.key.split('/').map(encodeURIComponent).join('/')}`,
    CopySourceIfMatch: source.etag,
    MetadataDirective: 'REPLACE',
    Metadata: metadata,
    ContentType: source.contentType,
    ContentEncoding: source.contentEncoding,
    ContentDisposition: source.contentDisposition,
    ContentLanguage: source.contentLanguage,
    CacheControl: source.cacheControl,
    ...(params.Tagging === undefined ? {} : { TaggingDirective: 'REPLACE' }),
  };
}

/**
 * Keep an upload: check the arguments, then one `CopyObject`.
 *
 * @throws TypeError for a wrong argument (no request was sent)
 * @throws InvalidUploadError when the upload changed after it was checked (412) or is gone (404)
 * @throws UploadStorageError when S3 failed (502; 503 when it throttled), or refused (403: a missing permission)
 */
export async function keepUpload(
  client: S3Client,
  source: KeepSource & { readonly size: number; readonly field: string | undefined },
  options: KeepUploadOptions,
): Promise<KeptUpload> {
  const input = keepRequest(source, options);
  const { CopyObjectCommand } = await import('@aws-sdk/client-s3');
  let output;
  try {
    output = await client.send(new CopyObjectCommand(input));
  } catch (error) {
    throw uploadFailure(error, source.field, undefined, 'keep');
  }
  return { bucket: input.Bucket!, key: input.Key!, etag: output.CopyObjectResult?.ETag, size: source.size };
}
