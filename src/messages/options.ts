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
  checkLogger,
  checkMetrics,
  checkS3Client,
  integerIn,
  mergeOptions,
  resolveBucket,
  resolveKeyPrefix,
} from '../options/resolve.js';
import type { S3ClientLike } from '../s3/client.js';
import type { PutObjectParams } from '../s3/store.js';
import { LargeMessageConfigurationError } from './errors.js';

/** Options of {@link largeMessagesPlugin}. */
export interface LargeMessagesPluginOptions {
  /**
   * The bucket that receives offloaded bodies.
   * @default process.env.S3_SPILL_BUCKET (neither set: `LargeMessageConfigurationError` at creation)
   */
  readonly bucket?: string;
  /**
   * Key prefix of the offloaded bodies (each key is the prefix and a random
   * UUID, as the Java client writes them). No leading `/`, no `.`/`..` segment; end it with `/`.
   * @default process.env.S3_MESSAGES_PREFIX ?? 'messages/'
   */
  readonly keyPrefix?: string;
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
  /**
   * The S3 client that stores bodies.
   * @default - one `new S3Client({})` per container, made at the first offload, shared with the other utilities
   */
  readonly s3Client?: S3ClientLike;
}

/** Options of {@link largeMessages}, {@link resolveLargeMessages}, {@link resolveLargeMessage} and {@link deleteResolved}. */
export interface LargeMessagesOptions {
  /**
   * The bucket of the offloaded bodies; the only bucket a pointer may name unless `allowedBuckets` is given.
   * @default process.env.S3_SPILL_BUCKET
   */
  readonly bucket?: string;
  /**
   * Buckets a pointer may name. Replaces the default (`[bucket]`): a pointer is
   * written by whoever can send to the queue, so it must not make the consumer
   * read any bucket its role can read. At least one of `bucket`, `allowedBuckets`
   * (or `S3_SPILL_BUCKET`) is needed.
   * @default [bucket]
   */
  readonly allowedBuckets?: readonly string[];
  /**
   * The S3 client that reads (and deletes) bodies.
   * @default - one `new S3Client({})` per container, made at the first large message, shared with the other utilities
   */
  readonly s3Client?: S3ClientLike;
  /**
   * Delete a record's object once it was processed: `largeMessages()` after the
   * handler succeeded (not the records listed in its `batchItemFailures`,
   * nothing when it throws); `deleteResolved()` when called. `false` makes both
   * leave objects to the lifecycle rule (needed when several consumers read the
   * same object: an SNS topic fanned out to several queues).
   * @default true
   */
  readonly deleteAfterUse?: boolean;
  /**
   * Logger of `largeMessages()` for objects it could not delete (a warning; the lifecycle rule is the backstop).
   * @default - a Powertools Logger, loaded on first use
   */
  readonly logger?: SpillLogger;
  /**
   * `largeMessages()` only: a Powertools `Metrics` (`@aws-lambda-powertools/metrics`,
   * optional peer) that receives, per invocation whose records were resolved,
   * `Resolved` (Count, the records) and `ResolvedBytes` (Bytes, their bodies),
   * as CloudWatch EMF under its namespace and `service` with the dimension
   * `utility: 'messages'`, published apart from its stored metrics
   * (`metrics.singleMetric()`). Nothing for an event without large messages.
   * @default - no metrics
   */
  readonly metrics?: MetricsLike;
}

/** Every option of the producer, the undefined ones included; frozen. */
export const largeMessagesPluginDefaults = Object.freeze({
  bucket: undefined as string | undefined,
  keyPrefix: undefined as string | undefined,
  threshold: SQS_LEGACY_MESSAGE_MAX_BYTES,
  alwaysThroughS3: false,
  putObjectParams: undefined as PutObjectParams | undefined,
  s3Client: undefined as S3ClientLike | undefined,
});

/** Every option of the consumer, the undefined ones included; frozen. */
export const largeMessagesDefaults = Object.freeze({
  bucket: undefined as string | undefined,
  allowedBuckets: undefined as readonly string[] | undefined,
  s3Client: undefined as S3ClientLike | undefined,
  deleteAfterUse: true,
  logger: undefined as SpillLogger | undefined,
  metrics: undefined as MetricsLike | undefined,
});

/** Producer options, resolved. */
export interface ResolvedPluginOptions {
  readonly bucket: string;
  readonly keyPrefix: string;
  readonly threshold: number;
  readonly alwaysThroughS3: boolean;
  readonly putObjectParams: PutObjectParams;
  readonly s3Client: S3ClientLike | undefined;
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

/**
 * The bucket: the option, else `S3_SPILL_BUCKET`, checked against the naming rules.
 *
 * @throws LargeMessageConfigurationError when there is none
 */
function bucketOf(given: string | undefined, env: NodeJS.ProcessEnv, door: string, also = ''): string {
  const fromEnv = env[SPILL_CONTRACT.bucketEnv];
  if (given === undefined && (fromEnv === undefined || fromEnv === '')) {
    throw new LargeMessageConfigurationError(`${door} needs a bucket: pass { bucket }${also} or set the ${SPILL_CONTRACT.bucketEnv} environment variable`);
  }
  return resolveBucket(given, env, [SPILL_CONTRACT.bucketEnv], door);
}

/**
 * Resolve and check the producer's options.
 *
 * @throws TypeError naming the option, or an unknown one; LargeMessageConfigurationError when there is no bucket
 */
export function resolvePluginOptions(options: LargeMessagesPluginOptions | undefined, env = process.env): ResolvedPluginOptions {
  const door = 'largeMessagesPlugin';
  const merged = mergeOptions(options ?? {}, largeMessagesPluginDefaults, door);
  const bucket = bucketOf(merged.bucket, env, door);
  const keyPrefix = resolveKeyPrefix(merged.keyPrefix, env, MESSAGES_CONTRACT.prefixEnv, MESSAGES_CONTRACT.defaultPrefix);
  const threshold = integerIn('threshold', merged.threshold, THRESHOLD_MIN, SQS_MESSAGE_MAX_BYTES);
  checkBoolean('alwaysThroughS3', merged.alwaysThroughS3);
  const putObjectParams = merged.putObjectParams ?? {};
  if (typeof putObjectParams !== 'object' || putObjectParams === null || Array.isArray(putObjectParams)) {
    throw new TypeError('putObjectParams must be an object');
  }
  const own = OWN_PUT_PARAMS.find((name) => Object.hasOwn(putObjectParams, name));
  if (own !== undefined) throw new TypeError(`putObjectParams must not set ${own}: the plugin sets it`);
  checkS3Client('s3Client', merged.s3Client);
  return { bucket, keyPrefix, threshold, alwaysThroughS3: merged.alwaysThroughS3, putObjectParams, s3Client: merged.s3Client };
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
    allowed = [bucketOf(merged.bucket, env, door, ' or { allowedBuckets }')];
  }
  checkBoolean('deleteAfterUse', merged.deleteAfterUse);
  checkLogger(merged.logger);
  checkMetrics(merged.metrics);
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
