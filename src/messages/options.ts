/**
 * Options of the producer (`largeMessagesPlugin`) and of the consumer
 * (`largeMessages`, `resolveLargeMessages`, `resolveLargeMessage`,
 * `deleteResolved`): their defaults, environment defaults and checks, made once
 * at creation. A `TypeError` names an option of the wrong type or range, or a
 * key that is not an option; `undefined` means the default.
 *
 * @module messages/options
 */
import { MESSAGES_CONTRACT, SPILL_CONTRACT } from '../contract.js';
import { MESSAGE_ATTRIBUTES_MAX, SQS_LEGACY_MESSAGE_MAX_BYTES, SQS_MESSAGE_MAX_BYTES } from '../limits.js';
import type { SpillLogger } from '../logging/default-logger.js';
import type { MetricsLike } from '../logging/metrics.js';
import {
  checkBoolean,
  checkBucketName,
  checkObservability,
  checkS3Client,
  integerIn,
  type LocationRules,
  mergeOptions,
  resolveBucket,
  resolveLocation,
  type ResolvedS3Location,
} from '../options/resolve.js';
import { OBSERVABILITY_DEFAULTS, type ObservabilityOptions, S3_LOCATION_DEFAULTS, type S3LocationOptions } from '../options/shared.js';
import type { S3ClientLike } from '../s3/client.js';
import type { PutObjectParams } from '../s3/store.js';
import { LargeMessageConfigurationError } from './errors.js';

/**
 * Options of {@link largeMessagesPlugin}.
 *
 * `bucket` receives the offloaded bodies, each under `keyPrefix` and a random
 * UUID, as the Java client writes them; `s3Client` stores them.
 */
export interface LargeMessagesPluginOptions extends S3LocationOptions {
  /**
   * A message whose size as the service counts it (body UTF-8 bytes + every
   * attribute's name, type and value) is strictly over this many bytes goes
   * through S3; so does a batch's largest message while the batch is over it.
   * 262,144 fits every SQS queue and every SNS topic (the Extended Clients'
   * default). Raise it to 1,048,576 for an SQS queue whose `MaximumMessageSize`
   * is 1,048,576 (the default of queues created since August 2025), never for SNS.
   * From 1,024 to 1,048,576.
   * @default 262144
   */
  readonly threshold?: number;
  /**
   * Send every message through S3, whatever its size.
   * @default false
   */
  readonly alwaysThroughS3?: boolean;
  /**
   * Extra `PutObject` parameters (`ServerSideEncryption: 'aws:kms'`,
   * `SSEKMSKeyId`, `StorageClass`, `Tagging`, ...). Not `Bucket`, `Key`, `Body`.
   * @default {}
   */
  readonly putObjectParams?: PutObjectParams;
}

/**
 * Options of {@link largeMessages}, {@link resolveLargeMessages},
 * {@link resolveLargeMessage} and {@link deleteResolved}.
 *
 * `bucket` is the only bucket a pointer may name unless `allowedBuckets` is
 * given (then no bucket is needed). `s3Client` reads (and deletes) bodies.
 * `logger` (of `largeMessages()`) warns of objects it could not delete (the
 * lifecycle rule is the backstop). `metrics` (`largeMessages()` only)
 * receives, with `utility: 'messages'`, per invocation whose records were
 * resolved, `Resolved` (Count, the records) and `ResolvedBytes` (Bytes, their
 * bodies); nothing for an event without large messages.
 */
export interface LargeMessagesOptions extends Omit<S3LocationOptions, 'keyPrefix'>, ObservabilityOptions {
  /**
   * Buckets a pointer may name. Replaces the default (`[bucket]`): a pointer is
   * written by whoever can send to the queue, so it must not make the consumer
   * read any bucket its role can read. At least one of `bucket`, `allowedBuckets`
   * (or `S3_SPILL_BUCKET`) is needed.
   * @default [bucket]
   */
  readonly allowedBuckets?: readonly string[];
  /**
   * Delete a record's object once it was processed: `largeMessages()` after the
   * handler succeeded (not the records listed in its `batchItemFailures`,
   * nothing when it throws); `deleteResolved()` when called. `false` makes both
   * leave objects to the lifecycle rule (needed when several consumers read the
   * same object: an SNS topic fanned out to several queues).
   * @default true
   */
  readonly deleteAfterUse?: boolean;
}

/** Every option of the producer, the undefined ones included; frozen. */
export const largeMessagesPluginDefaults = Object.freeze({
  ...S3_LOCATION_DEFAULTS,
  threshold: SQS_LEGACY_MESSAGE_MAX_BYTES,
  alwaysThroughS3: false,
  putObjectParams: undefined as PutObjectParams | undefined,
});

/** Every option of the consumer, the undefined ones included; frozen. */
export const largeMessagesDefaults = Object.freeze({
  bucket: undefined as string | undefined,
  allowedBuckets: undefined as readonly string[] | undefined,
  s3Client: undefined as S3ClientLike | undefined,
  deleteAfterUse: true,
  ...OBSERVABILITY_DEFAULTS,
});

/** Producer options, resolved. */
export interface ResolvedPluginOptions extends ResolvedS3Location {
  readonly threshold: number;
  readonly alwaysThroughS3: boolean;
  readonly putObjectParams: PutObjectParams;
}

/** Consumer options, resolved. */
export interface ResolvedConsumerOptions {
  readonly allowedBuckets: ReadonlySet<string>;
  readonly s3Client: S3ClientLike | undefined;
  readonly deleteAfterUse: boolean;
  readonly logger: SpillLogger | undefined;
  readonly metrics: MetricsLike | undefined;
}

/** Smallest threshold accepted: SQS's smallest `MaximumMessageSize`. */
const THRESHOLD_MIN = 1_024;

/** `PutObject` parameters the plugin sets itself. */
const OWN_PUT_PARAMS = ['Bucket', 'Key', 'Body', 'ContentLength'];

/** The bodies' bucket is the spill bucket's variable; their prefix is their own. */
const MESSAGES_LOCATION: LocationRules = { ...MESSAGES_CONTRACT, bucketEnvs: [SPILL_CONTRACT.bucketEnv] };

/**
 * A bucket is given, or set in `S3_SPILL_BUCKET`: this utility's own error
 * when neither is, before the shared resolution checks its name.
 *
 * @throws LargeMessageConfigurationError when there is none
 */
function requireBucket(given: string | undefined, env: NodeJS.ProcessEnv, door: string, also = ''): void {
  const fromEnv = env[SPILL_CONTRACT.bucketEnv];
  if (given === undefined && (fromEnv === undefined || fromEnv === '')) {
    throw new LargeMessageConfigurationError(`${door} needs a bucket: pass { bucket }${also} or set the ${SPILL_CONTRACT.bucketEnv} environment variable`);
  }
}

/**
 * Resolve and check the producer's options.
 *
 * @throws TypeError naming the option, or an unknown one; LargeMessageConfigurationError when there is no bucket
 */
export function resolvePluginOptions(options: LargeMessagesPluginOptions | undefined, env = process.env): ResolvedPluginOptions {
  const door = 'largeMessagesPlugin';
  const merged = mergeOptions(options ?? {}, largeMessagesPluginDefaults, door);
  requireBucket(merged.bucket, env, door);
  const location = resolveLocation(merged, env, MESSAGES_LOCATION, door);
  const threshold = integerIn('threshold', merged.threshold, THRESHOLD_MIN, SQS_MESSAGE_MAX_BYTES);
  checkBoolean('alwaysThroughS3', merged.alwaysThroughS3);
  const putObjectParams = merged.putObjectParams ?? {};
  if (typeof putObjectParams !== 'object' || putObjectParams === null || Array.isArray(putObjectParams)) {
    throw new TypeError('putObjectParams must be an object');
  }
  const own = OWN_PUT_PARAMS.find((name) => Object.hasOwn(putObjectParams, name));
  if (own !== undefined) throw new TypeError(`putObjectParams must not set ${own}: the plugin sets it`);
  return { ...location, threshold, alwaysThroughS3: merged.alwaysThroughS3, putObjectParams };
}

/**
 * Resolve and check the consumer's options.
 *
 * @throws TypeError naming the option, or an unknown one; LargeMessageConfigurationError when no bucket is allowed
 */
export function resolveConsumerOptions(options: LargeMessagesOptions | undefined, env = process.env): ResolvedConsumerOptions {
  const door = 'largeMessages';
  const merged = mergeOptions(options ?? {}, largeMessagesDefaults, door);
  let allowed: readonly string[];
  if (merged.allowedBuckets !== undefined) {
    if (!Array.isArray(merged.allowedBuckets) || merged.allowedBuckets.length === 0) {
      throw new TypeError('allowedBuckets must be a non-empty array of bucket names');
    }
    for (const bucket of merged.allowedBuckets) checkBucketName('allowedBuckets entry', bucket);
    if (merged.bucket !== undefined) checkBucketName('bucket', merged.bucket);
    allowed = merged.allowedBuckets;
  } else {
    requireBucket(merged.bucket, env, door, ' or { allowedBuckets }');
    allowed = [resolveBucket(merged.bucket, env, MESSAGES_LOCATION.bucketEnvs, door)];
  }
  checkBoolean('deleteAfterUse', merged.deleteAfterUse);
  checkObservability(merged);
  checkS3Client('s3Client', merged.s3Client);
  return {
    allowedBuckets: new Set(allowed),
    s3Client: merged.s3Client,
    deleteAfterUse: merged.deleteAfterUse,
    logger: merged.logger,
    metrics: merged.metrics,
  };
}

/** Most attributes a message may have and still be offloaded (the size attribute takes the last place). */
export const OFFLOADABLE_ATTRIBUTES_MAX = MESSAGE_ATTRIBUTES_MAX - 1;
