/**
 * Options of the producer (`largeMessagesPlugin`) and of the consumer
 * (`largeMessages`, `resolveLargeMessages`, `resolveLargeMessage`,
 * `deleteResolved`): their defaults, environment defaults and checks, made once
 * at creation. A `TypeError` names an option of the wrong type or range, or a
 * key that is not an option; `undefined` means the default.
 *
 * @module messages/options
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { MESSAGE_ATTRIBUTES_MAX, SQS_LEGACY_MESSAGE_MAX_BYTES, SQS_MESSAGE_MAX_BYTES } from '../limits.js';
import { bucketNameProblem } from '../options/bucket-name.js';
import type { SpillLogger } from '../options/options.js';
import type { PutObjectParams } from '../storage/s3-object.js';
import { keyPrefixProblem } from '../storage/object-key.js';
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
  readonly s3Client?: S3Client;
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
  readonly s3Client?: S3Client;
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
}

/** Every option of the producer, the undefined ones included; frozen. */
export const largeMessagesPluginDefaults = Object.freeze({
  bucket: undefined as string | undefined,
  keyPrefix: undefined as string | undefined,
  threshold: SQS_LEGACY_MESSAGE_MAX_BYTES,
  alwaysThroughS3: false,
  putObjectParams: undefined as PutObjectParams | undefined,
  s3Client: undefined as S3Client | undefined,
});

/** Every option of the consumer, the undefined ones included; frozen. */
export const largeMessagesDefaults = Object.freeze({
  bucket: undefined as string | undefined,
  allowedBuckets: undefined as readonly string[] | undefined,
  s3Client: undefined as S3Client | undefined,
  deleteAfterUse: true,
  logger: undefined as SpillLogger | undefined,
});

/** Producer options, resolved. */
export interface ResolvedPluginOptions {
  readonly bucket: string;
  readonly keyPrefix: string;
  readonly threshold: number;
  readonly alwaysThroughS3: boolean;
  readonly putObjectParams: PutObjectParams;
  readonly s3Client: S3Client | undefined;
}

/** Consumer options, resolved. */
export interface ResolvedConsumerOptions {
  readonly allowedBuckets: ReadonlySet<string>;
  readonly s3Client: S3Client | undefined;
  readonly deleteAfterUse: boolean;
  readonly logger: SpillLogger | undefined;
}

/** Smallest threshold accepted: SQS's smallest `MaximumMessageSize`. */
const THRESHOLD_MIN = 1_024;

/** `PutObject` parameters the plugin sets itself. */
const OWN_PUT_PARAMS = ['Bucket', 'Key', 'Body', 'ContentLength'];

function given<T extends object>(options: T | undefined, defaults: object, name: string): Partial<T> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) throw new TypeError(`${name} options must be an object`);
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(defaults, key)) throw new TypeError(`${name}: unknown option "${key}"`);
  }
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function checkBucket(option: string, bucket: unknown): string {
  const problem = bucketNameProblem(bucket);
  if (problem !== undefined) throw new TypeError(`${option} ${problem}`);
  return bucket as string;
}

function checkClient(client: unknown): S3Client | undefined {
  if (client !== undefined && typeof (client as { send?: unknown }).send !== 'function') throw new TypeError('s3Client must be an S3Client');
  return client as S3Client | undefined;
}

/**
 * Resolve and check the producer's options.
 *
 * @throws TypeError naming the option; LargeMessageConfigurationError when there is no bucket
 */
export function resolvePluginOptions(options: LargeMessagesPluginOptions | undefined, env = process.env): ResolvedPluginOptions {
  const merged = { ...largeMessagesPluginDefaults, ...given(options, largeMessagesPluginDefaults, 'largeMessagesPlugin') };
  const bucket = merged.bucket ?? env.S3_SPILL_BUCKET;
  if (bucket === undefined || bucket === '') {
    throw new LargeMessageConfigurationError('largeMessagesPlugin needs a bucket: pass { bucket } or set the S3_SPILL_BUCKET environment variable');
  }
  const keyPrefix = merged.keyPrefix ?? env.S3_MESSAGES_PREFIX ?? 'messages/';
  if (typeof keyPrefix !== 'string') throw new TypeError('keyPrefix must be a string');
  const prefixProblem = keyPrefixProblem(keyPrefix);
  if (prefixProblem !== undefined) throw new TypeError(`keyPrefix ${prefixProblem}`);
  const { threshold } = merged;
  if (typeof threshold !== 'number' || !Number.isInteger(threshold) || threshold < THRESHOLD_MIN || threshold > SQS_MESSAGE_MAX_BYTES) {
    throw new TypeError(`threshold must be an integer from ${THRESHOLD_MIN} to ${SQS_MESSAGE_MAX_BYTES} (bytes), got ${String(threshold)}`);
  }
  if (typeof merged.alwaysThroughS3 !== 'boolean') throw new TypeError('alwaysThroughS3 must be a boolean');
  const putObjectParams = merged.putObjectParams ?? {};
  if (typeof putObjectParams !== 'object' || putObjectParams === null || Array.isArray(putObjectParams)) {
    throw new TypeError('putObjectParams must be an object');
  }
  const own = OWN_PUT_PARAMS.find((name) => Object.hasOwn(putObjectParams, name));
  if (own !== undefined) throw new TypeError(`putObjectParams must not set ${own}: the plugin sets it`);
  return {
    bucket: checkBucket('bucket', bucket),
    keyPrefix,
    threshold,
    alwaysThroughS3: merged.alwaysThroughS3,
    putObjectParams,
    s3Client: checkClient(merged.s3Client),
  };
}

/**
 * Resolve and check the consumer's options.
 *
 * @throws TypeError naming the option; LargeMessageConfigurationError when no bucket is allowed
 */
export function resolveConsumerOptions(options: LargeMessagesOptions | undefined, env = process.env): ResolvedConsumerOptions {
  const merged = { ...largeMessagesDefaults, ...given(options, largeMessagesDefaults, 'largeMessages') };
  let allowed: readonly string[];
  if (merged.allowedBuckets !== undefined) {
    if (!Array.isArray(merged.allowedBuckets) || merged.allowedBuckets.length === 0) {
      throw new TypeError('allowedBuckets must be a non-empty array of bucket names');
    }
    allowed = merged.allowedBuckets.map((b) => checkBucket('allowedBuckets entry', b));
    if (merged.bucket !== undefined) checkBucket('bucket', merged.bucket);
  } else {
    const bucket = merged.bucket ?? env.S3_SPILL_BUCKET;
    if (bucket === undefined || bucket === '') {
      throw new LargeMessageConfigurationError(
        'largeMessages needs the bucket pointers may name: pass { bucket } or { allowedBuckets }, or set the S3_SPILL_BUCKET environment variable',
      );
    }
    allowed = [checkBucket('bucket', bucket)];
  }
  if (typeof merged.deleteAfterUse !== 'boolean') throw new TypeError('deleteAfterUse must be a boolean');
  if (merged.logger !== undefined && typeof (merged.logger as { warn?: unknown }).warn !== 'function') {
    throw new TypeError('logger must be a Powertools Logger');
  }
  return {
    allowedBuckets: new Set(allowed),
    s3Client: checkClient(merged.s3Client),
    deleteAfterUse: merged.deleteAfterUse,
    logger: merged.logger,
  };
}

/** Most attributes a message may have and still be offloaded (the size attribute takes the last place). */
export const OFFLOADABLE_ATTRIBUTES_MAX = MESSAGE_ATTRIBUTES_MAX - 1;
