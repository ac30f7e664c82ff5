/**
 * `lambda-s3-spill/cdk`: the infrastructure for `s3Spill()` as a CDK construct.
 * A separate entry point, so a Lambda bundle importing `lambda-s3-spill` never
 * pulls in `aws-cdk-lib`.
 *
 * @example
 * ```ts
 * import { Stack } from 'aws-cdk-lib';
 * import type * as lambda from 'aws-cdk-lib/aws-lambda';
 * import { SpillBucket } from 'lambda-s3-spill/cdk';
 * declare const stack: Stack;
 * declare const fn: lambda.Function;
 * new SpillBucket(stack, 'Spill').connect(fn);
 * ```
 * @module lambda-s3-spill/cdk
 */
export { SpillBucket } from './spill-bucket.js';
export type { SpillBucketProps } from './spill-bucket-props.js';
export type { SpillBucketOffloadProps } from './offload-props.js';
export { SpillBucketPropsError } from './errors.js';
export {
  SPILL_BUCKET_DEFAULTS,
  SPILL_BUCKET_FIXED_SETTINGS,
  SPILL_ENV,
  SPILL_KMS_ACTIONS,
  SPILL_S3_ACTIONS,
} from './defaults.js';
export { ACCESS_LOGS_REASON, PREFIX_WILDCARD_REASON } from './acknowledgements.js';

// Offloading non-HTTP results (issue 12): the offload prefix, its lifecycle rule and grants.
export { OFFLOAD_DEFAULTS, OFFLOAD_ENV, OFFLOAD_KMS_ACTIONS, OFFLOAD_READ_S3_ACTIONS, OFFLOAD_WRITE_S3_ACTIONS } from './defaults.js';
export { OFFLOAD_PREFIX_WILDCARD_REASON } from './acknowledgements.js';

// Durable functions (s3Serdes): the durable prefix, its lifecycle rule and grant.
export { DURABLE_DEFAULTS, DURABLE_ENV, DURABLE_KMS_ACTIONS, DURABLE_S3_ACTIONS } from './defaults.js';
export { DURABLE_PREFIX_WILDCARD_REASON } from './acknowledgements.js';
export type { SpillBucketDurableProps } from './durable-props.js';

// The request side (issue 13): the uploads prefix of SpillBucket.
export {
  SPILL_UPLOADS_DEFAULTS,
  UPLOAD_FORM_S3_ACTIONS,
  UPLOAD_READ_S3_ACTIONS,
  UPLOAD_KEEP_DESTINATION_S3_ACTIONS,
  UPLOAD_KEEP_SOURCE_S3_ACTIONS,
  UPLOAD_KEEP_WILDCARD_REASON,
  UPLOADS_WILDCARD_REASON,
  type UploadKeepDestination,
  type SpillUploadsProps,
  type SpillBucketUploadsProps,
} from './uploads.js';

// Large SQS and SNS messages (issue 22): the messages prefix of SpillBucket.
export {
  SPILL_MESSAGES_DEFAULTS,
  SQS_MAX_RETENTION,
  MESSAGES_WRITE_S3_ACTIONS,
  MESSAGES_READ_S3_ACTIONS,
  MESSAGES_KMS_ACTIONS,
  MESSAGES_WILDCARD_REASON,
  messagesExpirationDays,
  type SpillMessagesProps,
  type SpillBucketMessagesProps,
} from './messages.js';

// The response cache (issue 21): the cache prefix of SpillBucket, its lifecycle rule and grant.
export { SPILL_CACHE_DEFAULTS, CACHE_S3_ACTIONS, CACHE_WILDCARD_REASON, type SpillCacheProps, type SpillBucketCacheProps } from './cache.js';
