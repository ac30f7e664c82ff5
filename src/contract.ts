/**
 * The contract between the runtime and the infrastructure, in one place: the
 * environment variables each utility reads, its default key prefix, and the
 * S3 actions it needs on that prefix. The option resolvers, the dev server and
 * the `SpillBucket` construct (`cdk/`) all read it, so a name or a prefix
 * cannot drift between the code that runs and the stack that grants it.
 *
 * Sources of the actions: Amazon S3 User Guide, "Multipart upload API and
 * permissions" (`PutObject` authorizes CreateMultipartUpload, UploadPart and
 * CompleteMultipartUpload), "Browser-based uploads using POST" (a POST form
 * carries the signer's `PutObject`); a presigned URL carries the signer's
 * `GetObject`; `GetObject` also authorizes `HeadObject`.
 *
 * @module contract
 */

/** The spill utility (`s3Spill`, `withS3Spill`). */
export const SPILL_CONTRACT = {
  /** The bucket that receives spilled bodies. */
  bucketEnv: 'S3_SPILL_BUCKET',
  /** The key prefix of spilled objects. */
  prefixEnv: 'S3_SPILL_PREFIX',
  defaultPrefix: 'spill/',
  /** On `<prefix>*`: store (multipart included), abort a failed multipart upload, and read through the presigned URL. */
  s3Actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:GetObject'],
} as const;

/** The offload utility (`s3Offload`, `withS3Offload`, `resolveOffloaded`). */
export const OFFLOAD_CONTRACT = {
  /** The bucket of offloaded values; the spill bucket's variable is read after it. */
  bucketEnv: 'S3_OFFLOAD_BUCKET',
  prefixEnv: 'S3_OFFLOAD_PREFIX',
  defaultPrefix: 'offload/',
  /** A producer, on `<prefix>*`: no read (references carry no URL). */
  writeS3Actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
  /** A consumer, on `<prefix>*`. */
  readS3Actions: ['s3:GetObject'],
  /** A consumer with `deleteAfterUse`, on `<prefix>*`. */
  deleteS3Actions: ['s3:DeleteObject'],
} as const;

/** The uploads utility (`createUpload`, `s3Uploads`, `resolveUploads`); its bucket is the spill bucket's variable. */
export const UPLOADS_CONTRACT = {
  prefixEnv: 'S3_SPILL_UPLOAD_PREFIX',
  defaultPrefix: 'uploads/',
  /** The function that signs forms. */
  formS3Actions: ['s3:PutObject'],
  /** The function that reads uploads (`HeadObject` included). */
  readS3Actions: ['s3:GetObject'],
  /** With `deleteAfter`. */
  deleteS3Actions: ['s3:DeleteObject'],
} as const;

/** The S3 response cache (`lambda-s3-spill/cache`). */
export const CACHE_CONTRACT = {
  /** The cache's entries live in the spill bucket (`SPILL_CONTRACT.bucketEnv`), under their own prefix. */
  prefixEnv: 'S3_CACHE_PREFIX',
  defaultPrefix: 'cache/',
  /** On `<prefix>*`: read an entry (and through the presigned URL), store one (multipart included), delete one (invalidation). */
  s3Actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
  /** On the bucket, for `s3:prefix` under the prefix only: `invalidateCached` lists a target's variants. */
  listS3Actions: ['s3:ListBucket'],
} as const;

/** Large SQS/SNS messages (`lambda-s3-spill/messages`); the bucket is the spill bucket's variable. */
export const MESSAGES_CONTRACT = {
  prefixEnv: 'S3_MESSAGES_PREFIX',
  defaultPrefix: 'messages/',
  /** A producer (`largeMessagesPlugin`), on `<prefix>*`: store (in parts from 100 MiB), abort a failed multipart upload. */
  writeS3Actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
  /** A consumer (`largeMessages`, `resolveLargeMessage`), on `<prefix>*`. */
  readS3Actions: ['s3:GetObject'],
  /** A consumer with `deleteAfterUse` (the default). */
  deleteS3Actions: ['s3:DeleteObject'],
} as const;

/** Durable functions' large values (`s3Serdes`); the bucket is the spill bucket's variable. */
export const DURABLE_CONTRACT = {
  bucketEnv: SPILL_CONTRACT.bucketEnv,
  prefixEnv: 'S3_DURABLE_PREFIX',
  defaultPrefix: 'durable/',
  /** The durable function, on `<prefix>*`: it stores large step results and reads them back on replay. */
  s3Actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:GetObject'],
} as const;

/** The local environment (`lambda-s3-spill dev`) and the production guard on S3 endpoints. */
export const LOCAL_CONTRACT = {
  /** Set to `1` by `lambda-s3-spill dev` for the handler it runs: the environment is local. */
  devMarkerEnv: 'LAMBDA_S3_SPILL_DEV',
  /** Set to `1` to allow a private S3 endpoint in Lambda (an S3-compatible store inside the VPC). */
  allowPrivateEndpointEnv: 'S3_SPILL_ALLOW_PRIVATE_ENDPOINT',
} as const;
