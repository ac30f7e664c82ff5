/**
 * Every value a `SpillBucket` uses when a prop is not given, the settings it
 * never lets go, and what the middleware needs from IAM. The
 * "Default settings" table of docs/deploy-cdk.md is checked against this module by a test.
 *
 * @module defaults
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DURABLE_CONTRACT, OFFLOAD_CONTRACT, SPILL_CONTRACT } from '../src/contract.js';

/**
 * Environment variables `s3Spill()` reads when no option is passed.
 *
 * @example
 * ```ts
 * import { SPILL_ENV } from 'lambda-s3-spill/cdk';
 * SPILL_ENV.bucket; // 'S3_SPILL_BUCKET'
 * ```
 */
export const SPILL_ENV = {
  /** Name of the bucket that receives spilled bodies. */
  bucket: SPILL_CONTRACT.bucketEnv,
  /** Key prefix of every spilled object. */
  prefix: SPILL_CONTRACT.prefixEnv,
} as const;

/**
 * S3 actions the middleware performs, all on `<prefix>*`: `PutObject` (it also
 * authorizes CreateMultipartUpload, UploadPart and CompleteMultipartUpload),
 * `AbortMultipartUpload` (a failed or timed-out multipart upload), and
 * `GetObject`, because a presigned URL carries the signer's permissions.
 * Source: Amazon S3 User Guide, "Multipart upload API and permissions";
 * AWS Prescriptive Guidance, presigned URL best practices.
 *
 * @example
 * ```ts
 * import { SPILL_S3_ACTIONS } from 'lambda-s3-spill/cdk';
 * SPILL_S3_ACTIONS.includes('s3:GetObject'); // true
 * ```
 */
export const SPILL_S3_ACTIONS: readonly string[] = SPILL_CONTRACT.s3Actions;

/**
 * KMS actions granted on the bucket's key when it uses SSE-KMS: `GenerateDataKey`
 * to write, `Decrypt` to read through the presigned URL (it carries the signer's
 * permissions) and to complete a multipart upload. Source: Amazon S3 User
 * Guide, "Using server-side encryption with AWS KMS keys", permissions.
 *
 * @example
 * ```ts
 * import { SPILL_KMS_ACTIONS } from 'lambda-s3-spill/cdk';
 * SPILL_KMS_ACTIONS; // ['kms:GenerateDataKey', 'kms:Decrypt']
 * ```
 */
export const SPILL_KMS_ACTIONS: readonly string[] = ['kms:GenerateDataKey', 'kms:Decrypt'];

/**
 * Default of each `SpillBucketProps` prop, the undefined ones included.
 *
 * @example
 * ```ts
 * import { SPILL_BUCKET_DEFAULTS } from 'lambda-s3-spill/cdk';
 * SPILL_BUCKET_DEFAULTS.prefix; // 'spill/', the middleware's default too
 * ```
 */
export const SPILL_BUCKET_DEFAULTS = {
  /** Lifecycle expiration is in whole days, counted to the next midnight UTC (Amazon S3 User Guide, lifecycle expiration). */
  expiration: Duration.days(1),
  /** The same default as the middleware's `S3_SPILL_PREFIX`. */
  prefix: SPILL_CONTRACT.defaultPrefix,
  /** SSE-S3: no key to manage, nothing more to grant. */
  encryption: s3.BucketEncryption.S3_MANAGED,
  /** No customer managed key: with `encryption: KMS`, a new key with rotation is made. */
  encryptionKey: undefined,
  /** No CORS rule: a browser can open the URL (a link, a download), but a page's `fetch()` cannot read the body. */
  corsAllowedOrigins: undefined,
  /** The redirected GET repeats the API call's headers, whatever they are; the presigned URL is the credential. */
  corsAllowedHeaders: ['*'],
  /** Kept when it leaves the stack: the lifecycle rule empties it. */
  removalPolicy: RemovalPolicy.RETAIN,
  /** A new bucket is made. */
  bucket: undefined,
  /** No server access logs (the AwsSolutions-S1 acknowledgement says why). */
  serverAccessLogsBucket: undefined,
  /** No prefix for access logs. */
  serverAccessLogsPrefix: undefined,
} as const;

/**
 * Settings of a new spill bucket that no prop changes; bring your own `bucket`
 * to differ.
 *
 * @example
 * ```ts
 * import { SPILL_BUCKET_FIXED_SETTINGS } from 'lambda-s3-spill/cdk';
 * SPILL_BUCKET_FIXED_SETTINGS.enforceSSL; // true
 * ```
 */
export const SPILL_BUCKET_FIXED_SETTINGS = {
  /** Objects are read only through presigned URLs, never publicly. */
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  /** The bucket policy denies every request without TLS. */
  enforceSSL: true,
  /** An expired object is gone: no noncurrent version stays behind. */
  versioned: false,
  /** ACLs disabled: the bucket policy alone decides. */
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  /** Parts of an upload that never completed are billed until aborted. */
  abortIncompleteMultipartUploadAfter: Duration.days(1),
} as const;

/**
 * Environment variables `s3Offload()`, `withS3Offload()` and
 * `resolveOffloaded()` read when no option is passed (the bucket falls back
 * to `S3_SPILL_BUCKET`).
 *
 * @example
 * ```ts
 * import { OFFLOAD_ENV } from 'lambda-s3-spill/cdk';
 * OFFLOAD_ENV.prefix; // 'S3_OFFLOAD_PREFIX'
 * ```
 */
export const OFFLOAD_ENV = {
  /** Name of the bucket offloaded results go to and are read from. */
  bucket: OFFLOAD_CONTRACT.bucketEnv,
  /** Key prefix of offloaded results. */
  prefix: OFFLOAD_CONTRACT.prefixEnv,
} as const;

/**
 * S3 actions of a producer (`s3Offload`'s `after`), on `<offloadPrefix>*`:
 * `PutObject` (multipart included) and `AbortMultipartUpload`. No read:
 * references carry no URL, so a producer needs no `GetObject`.
 *
 * @example
 * ```ts
 * import { OFFLOAD_WRITE_S3_ACTIONS } from 'lambda-s3-spill/cdk';
 * OFFLOAD_WRITE_S3_ACTIONS; // ['s3:PutObject', 's3:AbortMultipartUpload']
 * ```
 */
export const OFFLOAD_WRITE_S3_ACTIONS: readonly string[] = OFFLOAD_CONTRACT.writeS3Actions;

/**
 * S3 actions of a consumer (`s3Offload`'s `before`, `resolveOffloaded`, a
 * Step Functions `aws-sdk:s3:getObject` task), on `<offloadPrefix>*`: `GetObject` only.
 *
 * @example
 * ```ts
 * import { OFFLOAD_READ_S3_ACTIONS } from 'lambda-s3-spill/cdk';
 * OFFLOAD_READ_S3_ACTIONS; // ['s3:GetObject']
 * ```
 */
export const OFFLOAD_READ_S3_ACTIONS: readonly string[] = OFFLOAD_CONTRACT.readS3Actions;

/**
 * KMS actions with SSE-KMS: a producer `GenerateDataKey` (and `Decrypt`, which
 * completing a multipart upload needs), a consumer `Decrypt`. Source: Amazon
 * S3 User Guide, "Using server-side encryption with AWS KMS keys", permissions.
 *
 * @example
 * ```ts
 * import { OFFLOAD_KMS_ACTIONS } from 'lambda-s3-spill/cdk';
 * OFFLOAD_KMS_ACTIONS.read; // ['kms:Decrypt']
 * ```
 */
export const OFFLOAD_KMS_ACTIONS = {
  /** What a producer needs on the bucket's key to store an offloaded value. */
  write: ['kms:GenerateDataKey', 'kms:Decrypt'] as readonly string[],
  /** What a consumer needs on the bucket's key to read an offloaded value. */
  read: ['kms:Decrypt'] as readonly string[],
} as const;

/**
 * Defaults of the offload props of `SpillBucket` (kept apart from
 * `SPILL_BUCKET_DEFAULTS`, which the README's table lists).
 *
 * @example
 * ```ts
 * import { OFFLOAD_DEFAULTS } from 'lambda-s3-spill/cdk';
 * OFFLOAD_DEFAULTS.offloadPrefix; // 'offload/', s3Offload's default too
 * ```
 */
export const OFFLOAD_DEFAULTS = {
  /** The same default as `s3Offload`'s `S3_OFFLOAD_PREFIX`. */
  offloadPrefix: OFFLOAD_CONTRACT.defaultPrefix,
  /** Offloaded values are deleted a day after they were stored (the lifecycle rule of the offload prefix). */
  offloadExpiration: Duration.days(1),
} as const;

/**
 * Environment variables `s3Serdes()` reads when no option is passed.
 *
 * @example
 * ```ts
 * import { DURABLE_ENV } from 'lambda-s3-spill/cdk';
 * DURABLE_ENV.prefix; // 'S3_DURABLE_PREFIX'
 * ```
 */
export const DURABLE_ENV = {
  /** Name of the bucket durable values go to and are read from (the spill bucket's variable). */
  bucket: DURABLE_CONTRACT.bucketEnv,
  /** Key prefix of durable values. */
  prefix: DURABLE_CONTRACT.prefixEnv,
} as const;

/**
 * S3 actions of a durable function using `s3Serdes()`, on `<durablePrefix>*`:
 * it stores its large step results and reads them back on replay.
 *
 * @example
 * ```ts
 * import { DURABLE_S3_ACTIONS } from 'lambda-s3-spill/cdk';
 * DURABLE_S3_ACTIONS; // ['s3:PutObject', 's3:AbortMultipartUpload', 's3:GetObject']
 * ```
 */
export const DURABLE_S3_ACTIONS: readonly string[] = DURABLE_CONTRACT.s3Actions;

/**
 * KMS actions of a durable function with SSE-KMS: it writes and reads.
 *
 * @example
 * ```ts
 * import { DURABLE_KMS_ACTIONS } from 'lambda-s3-spill/cdk';
 * DURABLE_KMS_ACTIONS; // ['kms:GenerateDataKey', 'kms:Decrypt']
 * ```
 */
export const DURABLE_KMS_ACTIONS: readonly string[] = ['kms:GenerateDataKey', 'kms:Decrypt'];

/**
 * Defaults of the durable-function props of `SpillBucket`.
 *
 * @example
 * ```ts
 * import { DURABLE_DEFAULTS } from 'lambda-s3-spill/cdk';
 * DURABLE_DEFAULTS.durableExpiration.toDays(); // 366
 * ```
 */
export const DURABLE_DEFAULTS = {
  /** The same default as `s3Serdes`'s `S3_DURABLE_PREFIX`. */
  durablePrefix: DURABLE_CONTRACT.defaultPrefix,
  /**
   * As long as the longest durable execution: `executionTimeout` is at most
   * 31,622,400 seconds (366 days; AWS::Lambda::Function `DurableConfig`,
   * `ExecutionTimeout`), and until it ends its replays read these objects.
   */
  durableExpiration: Duration.days(366),
} as const;
