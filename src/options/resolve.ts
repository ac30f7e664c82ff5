/**
 * The one option resolver every utility uses (spill, offload, uploads, and
 * those to come): options merged over the utility's `defaults`, an unknown key
 * refused with a `TypeError` naming it and the closest known option, and the
 * checks the utilities share (integer ranges, booleans, the logger and
 * metrics, the S3 client, the bucket and key prefix with their environment
 * defaults). The shared options themselves are declared in `shared.ts`.
 *
 * @module options/resolve
 */
import { SpillConfigurationError } from '../errors/base.js';
import { bucketNameProblem } from '../s3/bucket-name.js';
import { type S3ClientLike, s3ClientProblem } from '../s3/client.js';
import { keyPrefixProblem, readPrefixProblem } from '../s3/keys.js';
import type { ObservabilityOptions, S3LocationOptions } from './shared.js';

/**
 * The options given, over the defaults: every key must be one of `defaults`'
 * (a misspelt option would otherwise be ignored silently), and an option
 * given as `undefined` means its default (Middy's convention).
 *
 * @param options - what the user passed
 * @param defaults - the utility's frozen `defaults` (every option, the undefined ones included)
 * @param door - the function's name, for messages (`s3Spill`)
 * @throws TypeError when `options` is not an object, or has a key `defaults` does not
 */
export function mergeOptions<D extends object>(options: unknown, defaults: D, door: string): D {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${door} options must be an object`);
  }
  const known = Object.keys(defaults);
  const given: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (!known.includes(key)) throw unknownOption(key, known, door);
    if (value !== undefined) given[key] = value;
  }
  return { ...defaults, ...given } as D;
}

function unknownOption(key: string, known: readonly string[], door: string): TypeError {
  const shown = key.replace(/[^\x20-\x7e]/g, '?').slice(0, 64);
  const closest = closestOption(key, known);
  return new TypeError(
    `${door} has no option '${shown}'` + (closest === undefined ? '' : `; did you mean '${closest}'?`),
  );
}

/**
 * The known option closest to `key` (Damerau-Levenshtein distance, case
 * ignored), when it is close enough to be a typo: at most a third of its
 * length, and at least 2 edits allowed.
 */
export function closestOption(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return Number.POSITIVE_INFINITY;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * Check an integer option.
 *
 * @returns the value
 * @throws TypeError naming the option and the range
 */
export function integerIn(option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${option} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

/** @throws TypeError when `value` is not a boolean */
export function checkBoolean(option: string, value: unknown): void {
  if (typeof value !== 'boolean') throw new TypeError(`${option} must be a boolean`);
}

/** @throws TypeError when a `logger` option has no logging methods */
export function checkLogger(value: unknown): void {
  if (value !== undefined && typeof (value as { info?: unknown } | null)?.info !== 'function') {
    throw new TypeError('logger must be a Powertools Logger');
  }
}

/** @throws TypeError when a `metrics` option is not a Powertools `Metrics` (its `addMetric` and `singleMetric`) */
export function checkMetrics(value: unknown): void {
  const metrics = value as { addMetric?: unknown; singleMetric?: unknown } | null;
  if (value !== undefined && (typeof metrics?.addMetric !== 'function' || typeof metrics.singleMetric !== 'function')) {
    throw new TypeError('metrics must be a Powertools Metrics (new Metrics({ namespace, serviceName }))');
  }
}

/** @throws TypeError when the `logger` or the `metrics` option is not a Powertools one */
export function checkObservability(merged: ObservabilityOptions): void {
  checkLogger(merged.logger);
  checkMetrics(merged.metrics);
}

/** @throws TypeError when a `putObjectParams` option is not an object */
export function checkPutObjectParams(value: unknown): void {
  if (typeof value !== 'object' || value === null) throw new TypeError('putObjectParams must be an object');
}

/**
 * Check a `warnAtBytes` option: `undefined` (the default), `false` (off), or
 * an integer number of bytes from 1 to the limit it warns before.
 *
 * @param maxBytes - the largest limit in force (`maxBytes`, or the platform's)
 * @throws TypeError naming the option and the range
 */
export function checkWarnAtBytes(value: unknown, maxBytes: number): void {
  if (value === undefined || value === false) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > maxBytes) {
    throw new TypeError(`warnAtBytes must be false or an integer from 1 to ${maxBytes} (maxBytes), got ${String(value)}`);
  }
}

/**
 * Check an S3 client option (`undefined`: the default client).
 *
 * @param perRequest - whether a function `(bucket, request) => S3Client` is accepted too
 * @throws TypeError naming the option
 */
export function checkS3Client(option: string, value: unknown, perRequest = false): void {
  if (value === undefined || (perRequest && typeof value === 'function')) return;
  if (s3ClientProblem(value) !== undefined) {
    throw new TypeError(`${option} must be an S3Client${perRequest ? ' or a function (bucket, request) => S3Client' : ''}`);
  }
}

/** @throws TypeError when `value` is not a valid bucket name */
export function checkBucketName(option: string, value: unknown): void {
  const problem = bucketNameProblem(value);
  if (problem !== undefined) throw new TypeError(`${option} ${problem}`);
}

/**
 * The bucket: the option, else the first environment variable set; checked
 * against the naming rules unless it is a function of the request.
 *
 * @param given - the option
 * @param env - the environment
 * @param variables - the variables read, in order (from `contract.ts`)
 * @param door - the function's name, for the message
 * @throws SpillConfigurationError when there is none
 * @throws TypeError when it breaks the naming rules
 */
export function resolveBucket<T extends string | ((...args: never[]) => unknown)>(
  given: T | undefined,
  env: NodeJS.ProcessEnv,
  variables: readonly string[],
  door: string,
): T | string {
  const bucket = given ?? variables.map((v) => env[v]).find((v) => v !== undefined && v !== '');
  if (bucket === undefined || bucket === '') {
    const where =
      variables.length === 1
        ? `the ${variables[0]} environment variable`
        : `${variables[0]} (or ${variables.slice(1).join(', ')})`;
    throw new SpillConfigurationError(`${door} needs a bucket: pass { bucket } or set ${where}`);
  }
  if (typeof bucket !== 'function') checkBucketName('bucket', bucket);
  return bucket;
}

/**
 * The key prefix: the option, else the environment variable, else the
 * utility's default (from `contract.ts`); checked unless it is a function.
 *
 * @param read - the prefix also bounds keys read from references: no `\` or `//` either
 * @throws TypeError naming the option
 */
export function resolveKeyPrefix<T extends string | ((...args: never[]) => unknown)>(
  given: T | undefined,
  env: NodeJS.ProcessEnv,
  variable: string,
  fallback: string,
  read = false,
): T | string {
  const fromEnv = env[variable];
  const prefix = given ?? (fromEnv === undefined || fromEnv === '' ? fallback : fromEnv);
  if (typeof prefix === 'function') return prefix;
  if (typeof prefix !== 'string') throw new TypeError(`keyPrefix must be a string${read ? '' : ' or a function'}`);
  const problem = read ? readPrefixProblem(prefix) : keyPrefixProblem(prefix);
  if (problem !== undefined) throw new TypeError(`keyPrefix ${problem}`);
  return prefix;
}

/** Where a utility's objects are, once resolved. */
export interface ResolvedS3Location {
  readonly bucket: string;
  readonly keyPrefix: string;
  /** `undefined`: the shared default client, made on first use. */
  readonly s3Client: S3ClientLike | undefined;
}

/** Where a utility looks for its location in the environment, and how its prefix is checked. */
export interface LocationRules {
  /** The bucket's variables, read in order (from `contract.ts`). */
  readonly bucketEnvs: readonly string[];
  /** The key prefix's variable (from `contract.ts`). */
  readonly prefixEnv: string;
  /** The prefix when neither the option nor the variable gives one (from `contract.ts`). */
  readonly defaultPrefix: string;
  /** The prefix also bounds keys read from references: no `\` or `//` either. */
  readonly read?: boolean;
  /** An empty prefix is refused: `keyPrefix must not be empty`, then this reason when it is not `''`. */
  readonly nonEmpty?: string;
}

/**
 * The {@link S3LocationOptions} of a utility, resolved and checked, in this
 * order: the bucket (the option, else the environment), the key prefix (the
 * option, else the environment, else the utility's default), the S3 client.
 *
 * @param merged - the options over the utility's defaults
 * @param door - the function's name, for messages
 * @throws SpillConfigurationError when there is no bucket
 * @throws TypeError naming the option
 */
export function resolveLocation(
  merged: S3LocationOptions,
  env: NodeJS.ProcessEnv,
  rules: LocationRules,
  door: string,
): ResolvedS3Location {
  const bucket = resolveBucket(merged.bucket, env, rules.bucketEnvs, door);
  const keyPrefix = resolveKeyPrefix(merged.keyPrefix, env, rules.prefixEnv, rules.defaultPrefix, rules.read);
  if (keyPrefix === '' && rules.nonEmpty !== undefined) {
    throw new TypeError(`keyPrefix must not be empty${rules.nonEmpty === '' ? '' : `: ${rules.nonEmpty}`}`);
  }
  checkS3Client('s3Client', merged.s3Client);
  return { bucket, keyPrefix, s3Client: merged.s3Client };
}
