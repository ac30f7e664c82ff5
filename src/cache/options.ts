/**
 * The options of `s3Cache()`, `withS3Cache()` and `invalidateCached()`, their
 * defaults, and their validation at creation (unknown keys refused).
 *
 * Environment: the bucket is `S3_SPILL_BUCKET` (one `SpillBucket` serves the
 * spill and the cache; `SpillBucket.connectCache` sets it), the key prefix
 * `S3_CACHE_PREFIX`, else `'cache/'`.
 *
 * @module cache/options
 */
import { SpillConfigurationError } from '../errors.js';
import { PRESIGNED_URL_MAX_EXPIRES_IN } from '../limits.js';
import { bucketNameProblem } from '../options/bucket-name.js';
import type { S3ClientLike, SpillLogger } from '../options/options.js';
import { keyPrefixProblem } from '../storage/object-key.js';
import type { MiddyLikeRequest } from '../types/middy.js';

/** The default key prefix of cache entries. */
export const DEFAULT_CACHE_PREFIX = 'cache/';

/** The environment variable that names the cache's key prefix. */
export const CACHE_PREFIX_ENV = 'S3_CACHE_PREFIX';

/**
 * The part of a Powertools `Metrics` instance the cache calls: one metric per
 * looked-up request (`CacheHit`, `CacheMiss`) and per stored response
 * (`CacheStored`), unit `Count`. Publishing stays with the function (Powertools'
 * `logMetrics` middleware or `publishStoredMetrics()`).
 */
export interface CacheMetrics {
  /**
   * Add one metric to the set published with the invocation.
   *
   * @param name - `CacheHit`, `CacheMiss` or `CacheStored`
   * @param unit - always `Count`
   * @param value - always 1
   */
  addMetric(name: string, unit: 'Count', value: number): void;
}

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
   * handler runs. Why 1,000: see docs/cache.md, "Choosing lookupTimeoutInMillis".
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
   * Powertools `Metrics`: `CacheHit`, `CacheMiss`, `CacheStored` (Count).
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

const LOCATION_KEYS = ['bucket', 'keyPrefix', 's3Client'] as const;

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
  if (typeof options !== 'object' || options === null) throw new TypeError(`${name} options must be an object`);
  const known: readonly string[] = locationOnly ? LOCATION_KEYS : Object.keys(defaults);
  for (const option of Object.keys(options)) {
    if (!known.includes(option)) {
      throw new TypeError(`${name} has no option '${option}'${closest(option, known)}`);
    }
  }
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const merged = { ...defaults, ...given } as typeof defaults;
  const bucket = merged.bucket ?? env.S3_SPILL_BUCKET;
  if (bucket === undefined || bucket === '') {
    throw new SpillConfigurationError(`${name} needs a bucket: pass { bucket } or set the S3_SPILL_BUCKET environment variable`);
  }
  const bucketProblem = bucketNameProblem(bucket);
  if (bucketProblem !== undefined) throw new TypeError(`bucket ${bucketProblem}`);
  const keyPrefix = merged.keyPrefix ?? (env[CACHE_PREFIX_ENV] || DEFAULT_CACHE_PREFIX);
  if (typeof keyPrefix !== 'string') throw new TypeError('keyPrefix must be a string');
  const prefixProblem = keyPrefixProblem(keyPrefix);
  if (prefixProblem !== undefined) throw new TypeError(`keyPrefix ${prefixProblem}`);
  if (merged.s3Client !== undefined && typeof (merged.s3Client as { send?: unknown }).send !== 'function') {
    throw new TypeError('s3Client must be an S3Client');
  }
  if (merged.ttl !== undefined) integerIn('ttl', merged.ttl, 1, 31_536_000);
  if (!Array.isArray(merged.vary) || merged.vary.some((v) => typeof v !== 'string' || !FIELD_NAME.test(v))) {
    throw new TypeError('vary must be an array of header names');
  }
  if (merged.vary.some((v) => v === '*')) throw new TypeError("vary cannot hold '*'");
  if (merged.key !== undefined && typeof merged.key !== 'function') throw new TypeError('key must be a function');
  integerIn('inlineMaxBytes', merged.inlineMaxBytes, 0, 6_291_556);
  integerIn('lookupTimeoutInMillis', merged.lookupTimeoutInMillis, 1, 60_000);
  integerIn('expiresIn', merged.expiresIn, 1, PRESIGNED_URL_MAX_EXPIRES_IN);
  if (merged.logger !== undefined && typeof (merged.logger as { warn?: unknown }).warn !== 'function') {
    throw new TypeError('logger must be a Powertools Logger');
  }
  if (merged.metrics !== undefined && typeof (merged.metrics as { addMetric?: unknown }).addMetric !== 'function') {
    throw new TypeError('metrics must be a Powertools Metrics');
  }
  const vary = [...new Set(merged.vary.map((v) => v.toLowerCase()))].sort();
  return { ...merged, bucket, keyPrefix, vary };
}

function integerIn(option: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${option} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
}

/** `" (did you mean 'bucket'?)"` for a near miss, else `''`. */
function closest(option: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = editDistance(option.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best === undefined ? '' : ` (did you mean '${best}'?)`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
