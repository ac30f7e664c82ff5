/**
 * The options of `s3Offload()`, `withS3Offload()` and `resolveOffloaded()`,
 * their defaults, and their validation at creation.
 *
 * Environment: the bucket is `S3_OFFLOAD_BUCKET`, else `S3_SPILL_BUCKET` (one
 * `SpillBucket` usually serves both; `SpillBucket.connectOffload` sets the
 * first), the key prefix `S3_OFFLOAD_PREFIX`, else `'offload/'`.
 *
 * @module offload/options
 */
import { OFFLOAD_CONTRACT, SPILL_CONTRACT } from '../contract.js';
import { LAMBDA_RESPONSE_MAX_BYTES } from '../limits.js';
import { checkFlag, type PerRequestFlag } from '../options/per-request.js';
import {
  checkBoolean,
  checkBucketName,
  checkObservability,
  checkPutObjectParams,
  checkWarnAtBytes,
  integerIn,
  type LocationRules,
  mergeOptions,
  resolveLocation,
  type ResolvedS3Location,
} from '../options/resolve.js';
import {
  type LoggerOption,
  type MetricsOption,
  OBSERVABILITY_DEFAULTS,
  S3_LOCATION_DEFAULTS,
  type S3LocationOptions,
} from '../options/shared.js';
import type { PutObjectParams } from '../s3/store.js';
import { type OffloadPath, parseOffloadPaths } from './paths.js';
import { type ReferencePolicy, referenceBytes } from './reference.js';

/**
 * Options of {@link resolveOffloaded}, and the reading side of
 * {@link s3Offload}. Every one is optional.
 *
 * `bucket` is the bucket references may name (and, for `s3Offload`, the one
 * results are stored in); `keyPrefix` the prefix results are stored under and
 * references must be under. `logger` receives one `info` record per offload
 * (bucket, key, bytes, duration), a `debug` record per resolution, a `warn`
 * record per object `deleteAfterUse` could not delete.
 */
export interface ResolveOffloadedOptions extends S3LocationOptions, LoggerOption {
  /**
   * More buckets whose references are resolved (a producer in another account
   * or region writing to its own bucket). References to any other bucket are
   * refused before anything is read.
   * @default []
   */
  readonly allowedBuckets?: readonly string[];
  /**
   * Largest value, in bytes of JSON text, a reference may point at; a larger
   * one is refused before it is read (the value is held in memory, twice: its
   * bytes and the parsed value).
   * @default 104_857_600 (100 MiB)
   */
  readonly maxResolveBytes?: number;
  /**
   * Most references one event (or value) may hold; one more and the whole
   * event is refused (`OffloadReferenceError`) before anything is read. A
   * reference repeated counts once per place it appears.
   * @default 100
   */
  readonly maxReferences?: number;
  /**
   * Most bytes of JSON text one event (or value) may resolve to, summed over
   * every reference in it: a reference that appears n times counts n times its
   * `bytes`, since each place gets its own parse (the object is read once).
   * Over it, the whole event is refused (`OffloadReferenceError`) before
   * anything is read. The parsed values take several times their text in memory.
   * @default 104_857_600 (100 MiB)
   */
  readonly maxResolveTotalBytes?: number;
  /**
   * Delete the objects behind the references once they were used: for
   * `s3Offload` / `withS3Offload`, after the invocation succeeded (the handler
   * returned, and its result was stored if it had to be), never when anything
   * failed, so that a retry can still read them; for `resolveOffloaded`, after
   * every reference was read and verified, nothing when it rejects. Each
   * distinct object is deleted once. A failed delete is logged (`warn`) and
   * left to the lifecycle rule. Needs `s3:DeleteObject` on the prefix
   * (`grantOffloadRead(fn, { deleteAfterUse: true })`). Leave it off when one
   * reference is read more than once (several states of a state machine, a
   * fan-out).
   * @default false
   */
  readonly deleteAfterUse?: boolean;
}

/**
 * Options of {@link s3Offload} and {@link withS3Offload}. Every one is optional.
 *
 * `metrics` receives, with `utility: 'offload'`, `Offloaded` (Count) and
 * `OffloadedBytes` (Bytes, the JSON text stored) per result offloaded;
 * `Resolved` (Count, objects read) and `ResolvedBytes` (Bytes) per event whose
 * references were resolved; nothing for an invocation that changes nothing.
 */
export interface S3OffloadOptions extends ResolveOffloadedOptions, MetricsOption {
  /**
   * Largest result, in bytes of `JSON.stringify(result)`, returned as it is;
   * one byte more is offloaded. The default is Lambda's synchronous invoke
   * limit; use `STEP_FUNCTIONS_STATE_MAX_BYTES` (262,144) for a Step Functions
   * task, `ASYNC_INVOKE_MAX_BYTES` (1,000,000) for a result that becomes an
   * asynchronous invocation's event. From 1,024 to 6,291,556, and at least the
   * size of a reference for the configured bucket and prefix.
   * @default 6_291_556 (LAMBDA_RESPONSE_MAX_BYTES)
   */
  readonly maxBytes?: number;
  /**
   * Offload every result, whatever its size (the Extended Clients'
   * `alwaysThroughS3`): a boolean, or a function of the Middy request.
   * @default false
   */
  readonly alwaysOffload?: PerRequestFlag;
  /**
   * A result over this many bytes that still fits `maxBytes` is returned
   * untouched and logs one warning (`s3Offload result near the limit`: its
   * size, `maxBytes` and this threshold, through `logger`). An integer from 1
   * to `maxBytes`; `false` turns it off.
   * @default - 90 % of `maxBytes`, rounded down (5,662,400 for 6,291,556; 235,929 for 262,144)
   */
  readonly warnAtBytes?: number | false;
  /**
   * Time kept free before the function's deadline
   * (`context.getRemainingTimeInMillis()`), in milliseconds: storing or reading
   * still running then is abandoned with `OffloadTimeoutError`.
   * @default 1000
   */
  readonly timeoutEarlyInMillis?: number;
  /**
   * Extra `PutObject` parameters: `ServerSideEncryption`, `SSEKMSKeyId`,
   * `StorageClass`, `Metadata`, `Tagging`, ...
   * @default {}
   */
  readonly putObjectParams?: PutObjectParams;
  /**
   * Offload only the values at these paths, each to its own object with its
   * own reference in its place, and keep the rest of the result inline (a
   * Step Functions `Choice` can still read `$.status` next to an offloaded
   * `$.items`). A subset of JSONPath as Step Functions writes paths: `$`
   * followed by `.name`, `['name']` (with `\'` and `\\` escapes), `[n]`
   * (n >= 0) and `[*]` (every item of an array). When the result is over
   * `maxBytes`, the largest selected values go first until it fits (with
   * `alwaysOffload`, every selected value). The plan is made on sizes before
   * anything is stored: when the result cannot fit even with every selected
   * value offloaded, the whole result is offloaded instead (one object,
   * nothing else written). A path that matches nothing is not an error.
   * Checked at creation: a malformed path, a negative index, `$` alone, or two
   * paths where one contains the other is a `TypeError` naming the path.
   * @default undefined (the whole result is offloaded)
   */
  readonly paths?: readonly string[];
}

/** Every option, the undefined ones included (Middy's `defaults` convention); frozen. */
export const offloadDefaults = Object.freeze({
  ...S3_LOCATION_DEFAULTS,
  allowedBuckets: [] as readonly string[],
  maxResolveBytes: 100 * 1024 * 1024,
  maxReferences: 100,
  maxResolveTotalBytes: 100 * 1024 * 1024,
  deleteAfterUse: false,
  maxBytes: LAMBDA_RESPONSE_MAX_BYTES,
  alwaysOffload: false as PerRequestFlag,
  ...OBSERVABILITY_DEFAULTS,
  warnAtBytes: undefined as number | false | undefined,
  timeoutEarlyInMillis: 1000,
  putObjectParams: {} as PutObjectParams,
  paths: undefined as readonly string[] | undefined,
});

/** The options after defaults and environment are applied. */
export interface ResolvedOffloadOptions extends Omit<typeof offloadDefaults, keyof ResolvedS3Location | 'paths'>, ResolvedS3Location {
  /** The `paths` option, parsed; `undefined`: the whole result is offloaded. */
  readonly paths: readonly OffloadPath[] | undefined;
  /** What references are accepted. */
  readonly policy: ReferencePolicy;
}

/** The smallest `maxBytes`: room for a reference. */
const MIN_MAX_BYTES = 1024;

/** The bucket is the offload variable's, else the spill bucket's (one `SpillBucket` usually serves both). */
const OFFLOAD_LOCATION: LocationRules = { ...OFFLOAD_CONTRACT, bucketEnvs: [OFFLOAD_CONTRACT.bucketEnv, SPILL_CONTRACT.bucketEnv], read: true };

/**
 * Merge options over the defaults and the environment, and validate them.
 *
 * @param options - the options
 * @param env - the environment
 * @param name - the door, for messages
 * @throws TypeError naming the option, for a wrong type or range
 * @throws SpillConfigurationError when no bucket is given or set in the environment
 */
export function resolveOffloadOptions(
  options: S3OffloadOptions,
  env: NodeJS.ProcessEnv = process.env,
  name = 's3Offload',
): ResolvedOffloadOptions {
  const merged = mergeOptions(options, offloadDefaults, name);
  const { bucket, keyPrefix, s3Client } = resolveLocation(merged, env, OFFLOAD_LOCATION, name);
  if (!Array.isArray(merged.allowedBuckets)) throw new TypeError('allowedBuckets must be an array of bucket names');
  for (const other of merged.allowedBuckets) checkBucketName(`allowedBuckets: ${String(other)}`, other);
  integerIn('maxResolveBytes', merged.maxResolveBytes, 1, Number.MAX_SAFE_INTEGER);
  integerIn('maxReferences', merged.maxReferences, 1, Number.MAX_SAFE_INTEGER);
  integerIn('maxResolveTotalBytes', merged.maxResolveTotalBytes, 1, Number.MAX_SAFE_INTEGER);
  integerIn('maxBytes', merged.maxBytes, MIN_MAX_BYTES, LAMBDA_RESPONSE_MAX_BYTES);
  const largestReference = referenceBytes(bucket, keyPrefix, 999_999_999_999);
  if (largestReference > merged.maxBytes) {
    throw new TypeError(`maxBytes (${merged.maxBytes}) is smaller than a reference to this bucket and prefix (${largestReference} bytes)`);
  }
  const paths = merged.paths === undefined ? undefined : parseOffloadPaths(merged.paths);
  checkFlag('alwaysOffload', merged.alwaysOffload);
  checkBoolean('deleteAfterUse', merged.deleteAfterUse);
  checkObservability(merged);
  checkWarnAtBytes(merged.warnAtBytes, merged.maxBytes);
  integerIn('timeoutEarlyInMillis', merged.timeoutEarlyInMillis, 0, 900_000);
  checkPutObjectParams(merged.putObjectParams);
  const policy: ReferencePolicy = {
    buckets: [...new Set([bucket, ...merged.allowedBuckets])],
    keyPrefix,
    maxResolveBytes: merged.maxResolveBytes,
    maxReferences: merged.maxReferences,
    maxResolveTotalBytes: merged.maxResolveTotalBytes,
  };
  return { ...merged, bucket, keyPrefix, s3Client, policy, paths };
}
