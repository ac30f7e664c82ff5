/**
 * Validation of `SpillBucket` props, once, at construction.
 *
 * @module validate-props
 */
import { type Duration, Token } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CACHE_CONTRACT, DURABLE_CONTRACT, MESSAGES_CONTRACT, OFFLOAD_CONTRACT, SPILL_CONTRACT, UPLOADS_CONTRACT } from '../src/contract.js';
import { keyPrefixProblem, readPrefixProblem } from '../src/s3/keys.js';
import { SpillBucketPropsError } from './errors.js';
import type { SpillBucketProps } from './spill-bucket-props.js';

/** Props that shape a new bucket, so they mean nothing with an existing `bucket`. */
const NEW_BUCKET_PROPS = [
  'expiration',
  'encryption',
  'encryptionKey',
  'corsAllowedOrigins',
  'corsAllowedHeaders',
  'removalPolicy',
  'serverAccessLogsBucket',
  'serverAccessLogsPrefix',
  'offloadExpiration',
  'durableExpiration',
] as const satisfies readonly (keyof SpillBucketProps)[];

/**
 * Check props that CDK's `Bucket` would accept but that break the spill
 * contract: the grant must stay inside the prefix, objects must expire.
 *
 * Called first by the `SpillBucket` constructor, so `{ prefix: '*' }` throws before any resource is made.
 *
 * @throws SpillBucketPropsError naming the prop
 */
export function validateSpillBucketProps(props: SpillBucketProps): void {
  if (props.bucket !== undefined) {
    // As aws-solutions-constructs does for `existingBucketObj` with `bucketProps`.
    const conflicting = NEW_BUCKET_PROPS.filter((name) => props[name] !== undefined);
    if (conflicting.length > 0) {
      throw new SpillBucketPropsError(
        `SpillBucket: give either an existing bucket or ${conflicting.join(', ')}, not both`,
      );
    }
  }
  if (props.prefix !== undefined) checkPrefix(props.prefix, 'prefix');
  if (props.offloadPrefix !== undefined) checkPrefix(props.offloadPrefix, 'offloadPrefix');
  if (props.durablePrefix !== undefined) checkPrefix(props.durablePrefix, 'durablePrefix');
  const prefixes = {
    prefix: props.prefix ?? SPILL_CONTRACT.defaultPrefix,
    offloadPrefix: props.offloadPrefix ?? OFFLOAD_CONTRACT.defaultPrefix,
    durablePrefix: props.durablePrefix ?? DURABLE_CONTRACT.defaultPrefix,
  };
  // One lifecycle rule and one set of grants per object: the spill, offload and durable prefixes name disjoint keys.
  checkPrefixApart(prefixes.prefix, [['offloadPrefix', prefixes.offloadPrefix], ['durablePrefix', prefixes.durablePrefix]], mustNotOverlap('prefix', prefixes.prefix));
  checkPrefixApart(prefixes.offloadPrefix, [['durablePrefix', prefixes.durablePrefix]], mustNotOverlap('offloadPrefix', prefixes.offloadPrefix));
  if (props.cache !== undefined) checkCacheProps(props);
  checkWholeDays('expiration', props.expiration);
  checkWholeDays('offloadExpiration', props.offloadExpiration);
  checkWholeDays('durableExpiration', props.durableExpiration);
  if (props.encryption === s3.BucketEncryption.UNENCRYPTED) {
    throw new SpillBucketPropsError('SpillBucket: encryption must not be UNENCRYPTED');
  }
  if (props.serverAccessLogsPrefix !== undefined && props.serverAccessLogsBucket === undefined) {
    throw new SpillBucketPropsError('SpillBucket: serverAccessLogsPrefix needs serverAccessLogsBucket');
  }
  if (props.corsAllowedHeaders !== undefined) checkCorsAllowedHeaders(props.corsAllowedHeaders, props.corsAllowedOrigins);
}

/**
 * A field name (RFC 9110 `token`): what a browser can list in
 * `Access-Control-Request-Headers`. `*` is a token character; S3 takes it as a
 * wildcard and allows at most one per `AllowedHeader` (Amazon S3 User Guide,
 * CORS configuration, `AllowedHeader` element).
 */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function checkCorsAllowedHeaders(headers: string[], origins: string[] | undefined): void {
  if (!origins?.length) {
    throw new SpillBucketPropsError('SpillBucket: corsAllowedHeaders needs corsAllowedOrigins (without origins there is no CORS rule)');
  }
  if (Token.isUnresolved(headers)) return;
  if (headers.length === 0) {
    throw new SpillBucketPropsError(
      "SpillBucket: corsAllowedHeaders must not be empty (S3 would refuse every preflight that asks for a header); leave it out for ['*']",
    );
  }
  for (const header of headers) {
    if (Token.isUnresolved(header)) continue;
    if (!HEADER_NAME.test(header) || header.split('*').length > 2) {
      throw new SpillBucketPropsError(
        `SpillBucket: corsAllowedHeaders: ${JSON.stringify(header)} is not a header name with at most one "*"`,
      );
    }
  }
}

/**
 * The runtime's rule for each key prefix the construct grants on, as the
 * utility's option resolver (`resolveKeyPrefix`) applies it to the prefix the
 * construct sets in that utility's environment: a prefix that keys are only
 * written under follows `keyPrefixProblem`; one that keys named by references
 * are read under follows `readPrefixProblem` (no `\` or `//` either). So a
 * prefix the construct accepts is never refused by the function at run time.
 */
const RUNTIME_PREFIX_RULES = {
  /** `s3Spill` writes under it. */
  prefix: keyPrefixProblem,
  /** `resolveOffloaded` reads the keys references name under it. */
  offloadPrefix: readPrefixProblem,
  /** `s3Serdes` reads its references back under it. */
  durablePrefix: readPrefixProblem,
  /** `s3Uploads` reads the keys upload references name under it. */
  'uploads.prefix': readPrefixProblem,
  /** `s3Cache` writes and reads keys it makes itself. */
  'cache.prefix': keyPrefixProblem,
  /** `largeMessagesPlugin` writes under it; the consumer reads whatever key a pointer names, not a prefix. */
  'messages.prefix': keyPrefixProblem,
  /** `S3Upload.copyTo` writes the keys the function chooses (each checked by `keyProblem`). */
  'grantUploadKeep prefix': keyPrefixProblem,
} as const satisfies Record<string, (prefix: string) => string | undefined>;

/** A key prefix the construct checks, by the name its errors give it. */
export type PrefixName = keyof typeof RUNTIME_PREFIX_RULES;

/**
 * Check a key prefix that a grant ends in (`<prefix>*`): the runtime's rule for
 * that prefix (see `RUNTIME_PREFIX_RULES`: at most 1,024 UTF-8 bytes, no
 * leading `/`, no `.` or `..` segment, no control character; for a prefix
 * references are read under, no `\` or `//` either), and the grant's own: not
 * empty (the grant would cover the whole bucket), no IAM wildcard (`*`, `?`)
 * or policy variable (`${`). An unresolved token is known only at deployment,
 * and not checked.
 *
 * @param name - the prop, which names the error and chooses the runtime's rule
 * @throws SpillBucketPropsError naming `name`
 */
export function checkPrefix(prefix: string, name: PrefixName): void {
  if (Token.isUnresolved(prefix)) return;
  if (prefix.length === 0) {
    throw new SpillBucketPropsError(`SpillBucket: ${name} must not be empty (the grant would cover the whole bucket)`);
  }
  const problem = RUNTIME_PREFIX_RULES[name](prefix);
  if (problem !== undefined) throw new SpillBucketPropsError(`SpillBucket: ${name} ${problem}`);
  // In an IAM resource ARN `*` and `?` are wildcards and `${...}` a policy variable.
  if (/[*?]|\$\{/.test(prefix)) {
    throw new SpillBucketPropsError(`SpillBucket: ${name} must not contain "*", "?" or "\${" (IAM wildcards and policy variables)`);
  }
}

/** A named prefix of the bucket, `undefined` when that part is not in use. */
export type NamedPrefix = readonly [name: string, prefix: string | undefined];

/**
 * Check that `prefix` overlaps none of `others`. Two prefixes overlap when
 * either starts with the other (S3 prefixes are plain text: `a/` and `ab/`
 * are apart, `a` and `ab/` are not, an empty prefix overlaps every one), so a
 * grant or lifecycle rule on one would also reach keys of the other. A prefix
 * that is an unresolved token is known only at deployment, and not compared.
 *
 * @param others - the other prefixes with their names, checked in order
 * @param message - the error's text after `SpillBucket: `, from the name and value of the first prefix overlapped
 * @throws SpillBucketPropsError at the first overlap
 */
export function checkPrefixApart(prefix: string, others: Iterable<NamedPrefix>, message: (name: string, other: string) => string): void {
  if (Token.isUnresolved(prefix)) return;
  for (const [name, other] of others) {
    if (other === undefined || Token.isUnresolved(other)) continue;
    if (prefix.startsWith(other) || other.startsWith(prefix)) throw new SpillBucketPropsError(`SpillBucket: ${message(name, other)}`);
  }
}

/** The message of two props' prefixes that overlap: `prefix ("data/") and offloadPrefix ("data/") must not overlap`. */
function mustNotOverlap(name: string, prefix: string): (otherName: string, other: string) => string {
  return (otherName, other) => `${name} ("${prefix}") and ${otherName} ("${other}") must not overlap`;
}

/** A lifecycle expiration is whole days, at least one (S3 counts days to the next midnight UTC); a token is checked at deployment. */
export function checkWholeDays(name: string, duration: Duration | undefined): void {
  if (duration === undefined || duration.isUnresolved()) return;
  const days = duration.toDays({ integral: false });
  if (!Number.isInteger(days) || days < 1) {
    throw new SpillBucketPropsError(`SpillBucket: ${name} must be whole days, at least one (got ${days} days)`);
  }
}

/** The cache prefix follows the prefix rules and overlaps no other prefix of the bucket (spill, offload, uploads, messages); its expiration is in whole days, and only for a new bucket. */
function checkCacheProps(props: SpillBucketProps): void {
  const cache = props.cache!;
  if (cache.prefix !== undefined) checkPrefix(cache.prefix, 'cache.prefix');
  const prefix = cache.prefix ?? CACHE_CONTRACT.defaultPrefix;
  const others: NamedPrefix[] = [
    ['prefix', props.prefix ?? SPILL_CONTRACT.defaultPrefix],
    ['offloadPrefix', props.offloadPrefix ?? OFFLOAD_CONTRACT.defaultPrefix],
    ['durablePrefix', props.durablePrefix ?? DURABLE_CONTRACT.defaultPrefix],
    ['uploads.prefix', props.uploads === undefined ? undefined : (props.uploads.prefix ?? UPLOADS_CONTRACT.defaultPrefix)],
    ['messages.prefix', props.messages === undefined ? undefined : (props.messages.prefix ?? MESSAGES_CONTRACT.defaultPrefix)],
  ];
  checkPrefixApart(prefix, others, mustNotOverlap('cache.prefix', prefix));
  checkWholeDays('cache.expiration', cache.expiration);
  if (props.bucket !== undefined && cache.expiration !== undefined) {
    throw new SpillBucketPropsError('SpillBucket: give either an existing bucket or cache.expiration, not both');
  }
}
