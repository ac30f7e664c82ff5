/**
 * The options of `s3Cache()`, `withS3Cache()` and `invalidateCached()`, their
 * defaults, and their validation at creation (unknown keys refused).
 *
 * Environment: the bucket is `S3_SPILL_BUCKET` (one `SpillBucket` serves the
 * spill and the cache; `SpillBucket.connectCache` sets it), the key prefix
 * `S3_CACHE_PREFIX`, else `'cache/'` (`CACHE_CONTRACT` in `contract.ts`).
 *
 * @module cache/options
 */
import { CACHE_CONTRACT, SPILL_CONTRACT } from '../contract.js';
import { LAMBDA_RESPONSE_MAX_BYTES, PRESIGNED_URL_MAX_EXPIRES_IN } from '../limits.js';
import type { SpillLogger } from '../logging/default-logger.js';
import type { MetricsLike } from '../logging/metrics.js';
import { checkLogger, checkMetrics, checkS3Client, integerIn, mergeOptions, resolveBucket, resolveKeyPrefix } from '../options/resolve.js';
import type { S3ClientLike } from '../s3/client.js';
import type { MiddyLikeRequest } from '../types/middy.js';

/**
 * The `metrics` option of the cache: a Powertools `Metrics` instance, as every
 * utility takes it. Each looked-up request publishes `CacheHit` or `CacheMiss`,
 * each stored response `CacheStored` (Count, and `…Bytes`: the stored body's
 * bytes), through `singleMetric()` with the dimension `utility: cache`.
 */
export type CacheMetrics = MetricsLike;

/** Options of {@link invalidateCached}, and where {@link s3Cache} keeps its entries. Every one is optional. */
export interface CacheLocationOptions {
  /**
   * The bucket holding the entries.
   * @default process.env.S3_SPILL_BUCKET (not set: `SpillConfigurationError` at creation)
   */
  readonly bucket?: string;
  /**
   * Key prefix of every entry; the IAM grant and the lifecycle rule are scoped
   * to it. No leading `/`, no `.` or `..` segment. A new prefix drops every
   * entry at once (the old ones expire by the lifecycle rule).
   * @default process.env.S3_CACHE_PREFIX ?? 'cache/'
   */
  readonly keyPrefix?: string;
  /**
   * S3 client to read, write, list and delete with (and to sign URLs).
   * @default - one `new S3Client({})` per container, shared with `s3Spill`, created on first use
   */
  readonly s3Client?: S3ClientLike;
}

/** Options of {@link s3Cache} and {@link withS3Cache}. Every one is optional. */
export interface S3CacheOptions extends CacheLocationOptions {
  /**
   * Freshness lifetime, in seconds, of a `200` response that gives none itself
   * (no `s-maxage`, `max-age` or `Expires`). Not set: only what the response
   * makes fresh is stored. Other statuses are stored only with explicit freshness.
   * From 1 to 31,536,000 (a year).
   * @default undefined
   */
  readonly ttl?: number;
  /**
   * Request header names that are always part of the key, besides the ones
   * the stored response's `Vary` names (a header the response depends on but
   * does not name, e.g. `X-Tenant` set by an authorizer).
   * @default []
   */
  readonly vary?: readonly string[];
  /**
   * Extra key material from the request (the same Middy request the other
   * per-request options get): a tenant id, a user group. Its answer is hashed,
   * never stored in clear. Throwing or not returning a string is a
   * `SpillConfigurationError` (500).
   * @default undefined
   */
  readonly key?: (request: MiddyLikeRequest) => string;
  /**
   * Largest stored body, in bytes, answered inline on a hit; a larger one is
   * answered `303 See Other` to a presigned URL of the stored object (the
   * object is never read). An inline answer must also fit the front door's
   * limit. Why 1 MiB: see docs/cache.md, "Choosing inlineMaxBytes"
   * (`npm run bench`, cache section).
   * @default 1_048_576 (1 MiB)
   */
  readonly inlineMaxBytes?: number;
  /**
   * Time, in milliseconds, a lookup may take: a lookup not answered by then
   * (or by the deadline: the function's, less one second) is a miss and the
   * handler runs. A request that finds the same key being computed by another
   * invocation of the container waits for it within this time, then looks
   * once more (with as much time again). Why 1,000: see docs/cache.md, "Choosing lookupTimeoutInMillis".
   * From 1 to 60,000.
   * @default 1000
   */
  readonly lookupTimeoutInMillis?: number;
  /**
   * Lifetime of the presigned URL of a `303` answer, in seconds, from 1 to
   * 604,800; keep it short (a URL signed with the role's temporary credentials
   * dies with them).
   * @default 300
   */
  readonly expiresIn?: number;
  /**
   * Powertools logger for failures (a lookup or store that failed) and the
   * store record. Presigned URLs and header values are never logged.
   * @default - a Powertools `Logger` with the function's `POWERTOOLS_SERVICE_NAME`, or `lambda-s3-spill`
   */
  readonly logger?: SpillLogger;
  /**
   * Powertools `Metrics`: `CacheHit`, `CacheMiss`, `CacheStored` (Count) and `CacheHitBytes`, `CacheStoredBytes` (Bytes), one set per request.
   * @default undefined
   */
  readonly metrics?: CacheMetrics;
}

/** Every option, the undefined ones included (Middy's `defaults` convention); frozen. */
export const defaults = Object.freeze({
  bucket: undefined as string | undefined,
  keyPrefix: undefined as string | undefined,
  s3Client: undefined as S3ClientLike | undefined,
  ttl: undefined as number | undefined,
  vary: [] as readonly string[],
  key: undefined as ((request: MiddyLikeRequest) => string) | undefined,
  inlineMaxBytes: 1_048_576,
  lookupTimeoutInMillis: 1000,
  expiresIn: 300,
  logger: undefined as SpillLogger | undefined,
  metrics: undefined as CacheMetrics | undefined,
});

/** The options of `invalidateCached`: where the entries are. */
const locationDefaults = Object.freeze({
  bucket: defaults.bucket,
  keyPrefix: defaults.keyPrefix,
  s3Client: defaults.s3Client,
});

/** The cache's options after defaults and environment. */
export interface ResolvedCacheOptions extends Omit<typeof defaults, 'bucket' | 'keyPrefix' | 'vary'> {
  readonly bucket: string;
  readonly keyPrefix: string;
  /** Lower-case, sorted, without duplicates. */
  readonly vary: readonly string[];
}

/** An HTTP field name (RFC 9110 section 5.1: a token). */
const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Merge the options over the defaults and the environment, and validate them.
 *
 * @param name - the door, for messages (`s3Cache`, `invalidateCached`)
 * @param locationOnly - `invalidateCached` takes only `bucket`, `keyPrefix`, `s3Client`
 * @throws TypeError naming an unknown option or one of the wrong type or range
 * @throws SpillConfigurationError when there is no bucket
 */
export function resolveCacheOptions(
  options: S3CacheOptions,
  env: NodeJS.ProcessEnv = process.env,
  name = 's3Cache',
  locationOnly = false,
): ResolvedCacheOptions {
  const merged = locationOnly
    ? { ...defaults, ...mergeOptions(options, locationDefaults, name) }
    : mergeOptions(options, defaults, name);
  const bucket = resolveBucket(merged.bucket, env, [SPILL_CONTRACT.bucketEnv], name);
  const keyPrefix = resolveKeyPrefix(merged.keyPrefix, env, CACHE_CONTRACT.prefixEnv, CACHE_CONTRACT.defaultPrefix);
  checkS3Client('s3Client', merged.s3Client);
  if (merged.ttl !== undefined) integerIn('ttl', merged.ttl, 1, 31_536_000);
  if (!Array.isArray(merged.vary) || merged.vary.some((v) => typeof v !== 'string' || !FIELD_NAME.test(v))) {
    throw new TypeError('vary must be an array of header names');
  }
  if (merged.key !== undefined && typeof merged.key !== 'function') throw new TypeError('key must be a function');
  integerIn('inlineMaxBytes', merged.inlineMaxBytes, 0, LAMBDA_RESPONSE_MAX_BYTES);
  integerIn('lookupTimeoutInMillis', merged.lookupTimeoutInMillis, 1, 60_000);
  integerIn('expiresIn', merged.expiresIn, 1, PRESIGNED_URL_MAX_EXPIRES_IN);
  checkLogger(merged.logger);
  checkMetrics(merged.metrics);
  const vary = [...new Set(merged.vary.map((v) => v.toLowerCase()))].sort();
  return { ...merged, bucket: bucket as string, keyPrefix: keyPrefix as string, vary };
}
