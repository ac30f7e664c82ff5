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
import type { MetricsLike } from '../logging/metrics.js';
import { checkObservability, integerIn, type LocationRules, mergeOptions, resolveLocation, type ResolvedS3Location } from '../options/resolve.js';
import { OBSERVABILITY_DEFAULTS, type ObservabilityOptions, S3_LOCATION_DEFAULTS, type S3LocationOptions } from '../options/shared.js';
import type { MiddyLikeRequest } from '../types/middy.js';

/**
 * The `metrics` option of the cache: a Powertools `Metrics` instance, as every
 * utility takes it. Each looked-up request publishes `CacheHit` or `CacheMiss`,
 * each stored response `CacheStored` (Count, and `…Bytes`: the stored body's
 * bytes), through `singleMetric()` with the dimension `utility: cache`.
 */
export type CacheMetrics = MetricsLike;

/**
 * Options of {@link invalidateCached}, and where {@link s3Cache} keeps its
 * entries. Every one is optional.
 *
 * `bucket` holds the entries, each under `keyPrefix`: a new prefix drops every
 * entry at once (the old ones expire by the lifecycle rule). `s3Client` reads,
 * writes, lists and deletes entries, and signs the URLs of `303` answers.
 */
export interface CacheLocationOptions extends S3LocationOptions {}

/**
 * Options of {@link s3Cache} and {@link withS3Cache}. Every one is optional.
 *
 * `logger` receives failures (a lookup or store that failed) and the store
 * record; presigned URLs and header values are never logged. `metrics`
 * receives, with `utility: 'cache'`, `CacheHit`, `CacheMiss`, `CacheStored`
 * (Count) and `CacheHitBytes`, `CacheStoredBytes` (Bytes), one set per request.
 */
export interface S3CacheOptions extends CacheLocationOptions, ObservabilityOptions {
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
}

/** Every option, the undefined ones included (Middy's `defaults` convention); frozen. */
export const defaults = Object.freeze({
  ...S3_LOCATION_DEFAULTS,
  ttl: undefined as number | undefined,
  vary: [] as readonly string[],
  key: undefined as ((request: MiddyLikeRequest) => string) | undefined,
  inlineMaxBytes: 1_048_576,
  lookupTimeoutInMillis: 1000,
  expiresIn: 300,
  ...OBSERVABILITY_DEFAULTS,
});

/** The cache's options after defaults and environment. */
export interface ResolvedCacheOptions extends Omit<typeof defaults, keyof ResolvedS3Location | 'vary'>, ResolvedS3Location {
  /** Lower-case, sorted, without duplicates. */
  readonly vary: readonly string[];
}

/** The entries live in the spill bucket, under their own prefix. */
const CACHE_LOCATION: LocationRules = { ...CACHE_CONTRACT, bucketEnvs: [SPILL_CONTRACT.bucketEnv] };

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
    ? { ...defaults, ...mergeOptions(options, S3_LOCATION_DEFAULTS, name) }
    : mergeOptions(options, defaults, name);
  const location = resolveLocation(merged, env, CACHE_LOCATION, name);
  if (merged.ttl !== undefined) integerIn('ttl', merged.ttl, 1, 31_536_000);
  if (!Array.isArray(merged.vary) || merged.vary.some((v) => typeof v !== 'string' || !FIELD_NAME.test(v))) {
    throw new TypeError('vary must be an array of header names');
  }
  if (merged.key !== undefined && typeof merged.key !== 'function') throw new TypeError('key must be a function');
  integerIn('inlineMaxBytes', merged.inlineMaxBytes, 0, LAMBDA_RESPONSE_MAX_BYTES);
  integerIn('lookupTimeoutInMillis', merged.lookupTimeoutInMillis, 1, 60_000);
  integerIn('expiresIn', merged.expiresIn, 1, PRESIGNED_URL_MAX_EXPIRES_IN);
  checkObservability(merged);
  const vary = [...new Set(merged.vary.map((v) => v.toLowerCase()))].sort();
  return { ...merged, ...location, vary };
}
