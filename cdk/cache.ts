/**
 * The cache prop of `SpillBucket` (`s3Cache()`, `withS3Cache()`,
 * `invalidateCached()`): a key prefix with its own lifecycle rule and grant.
 *
 * @module cache
 */
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { CACHE_CONTRACT } from '../src/contract.js';
import { acknowledgePrefixWildcard } from './acknowledgements.js';

/** The response cache under its own prefix. */
export interface SpillCacheProps {
  /**
   * Key prefix of the cache entries (`S3_CACHE_PREFIX`): its own lifecycle
   * rule (`ExpireCachedResponses`) and grant. The same rules as `prefix`, and
   * it must not overlap the spill or offload prefix.
   * @default 'cache/'
   */
  readonly prefix?: string;
  /**
   * How long an entry is kept before the lifecycle rule deletes it, in whole
   * days. It must outlive the longest freshness lifetime the functions store
   * (`s-maxage`, `max-age`, `Expires`, `ttl`) plus the presigned URL's
   * `expiresIn`: an entry deleted earlier is only a miss, but a URL given out
   * for it would answer 404.
   * @default Duration.days(2)
   */
  readonly expiration?: Duration;
}

/** Cache props of {@link SpillBucketProps}. */
export interface SpillBucketCacheProps {
  /**
   * Keep a response cache (`s3Cache`) in this bucket: adds its lifecycle rule
   * (also added by the first `grantCache` / `connectCache`, with the defaults).
   * `expiration` is not allowed with `bucket`.
   * @default - no cache prefix until `grantCache` or `connectCache` is called
   */
  readonly cache?: SpillCacheProps;
}

/**
 * Defaults of the cache prop.
 *
 * @example
 * ```ts
 * import { SPILL_CACHE_DEFAULTS } from 'lambda-s3-spill/cdk';
 * SPILL_CACHE_DEFAULTS.prefix; // 'cache/', s3Cache's default too
 * ```
 */
export const SPILL_CACHE_DEFAULTS = {
  /** The same default as `s3Cache`'s `S3_CACHE_PREFIX`. */
  prefix: CACHE_CONTRACT.defaultPrefix,
  /** Two days: a day's freshness and a URL's minutes, with S3's rounding to midnight UTC. */
  expiration: Duration.days(2),
} as const;

/**
 * What `s3Cache` does on the cache prefix: read an entry (`GetObject` covers
 * `HeadObject`, and a presigned URL carries it), store one (`PutObject`,
 * multipart included, and `AbortMultipartUpload`), and delete one
 * (`invalidateCached`, an unsafe method's invalidation).
 *
 * @example
 * ```ts
 * import { CACHE_S3_ACTIONS } from 'lambda-s3-spill/cdk';
 * CACHE_S3_ACTIONS; // ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject']
 * ```
 */
export const CACHE_S3_ACTIONS: readonly string[] = CACHE_CONTRACT.s3Actions;

/**
 * Why the cache grant's resource ends in a wildcard (AwsSolutions-IAM5).
 *
 * @example
 * ```ts
 * import { CACHE_WILDCARD_REASON } from 'lambda-s3-spill/cdk';
 * console.log(CACHE_WILDCARD_REASON);
 * ```
 */
export const CACHE_WILDCARD_REASON =
  'The wildcard is the cache prefix: s3Cache keys are hashes of each request target and its variants ' +
  '(<cachePrefix><target hash>/<variant hash>), made at run time, so no fixed ARN can name them. The grant is ' +
  's3:GetObject, s3:PutObject, s3:AbortMultipartUpload and s3:DeleteObject under that prefix, and s3:ListBucket ' +
  'only for keys under it (invalidation lists a target\'s variants).';

/**
 * The cache grant: object actions on `<prefix>*`, and `s3:ListBucket` on the
 * bucket for `s3:prefix` under the prefix only; with a KMS key,
 * `kms:GenerateDataKey` and `kms:Decrypt`.
 */
export function grantOnCache(bucket: s3.IBucket, prefix: string, grantee: iam.IGrantable): iam.Grant {
  const pattern = `${prefix}*`;
  let grant = iam.Grant.addToPrincipalOrResource({
    grantee,
    actions: [...CACHE_S3_ACTIONS],
    resourceArns: [bucket.arnForObjects(pattern)],
    resource: bucket,
  });
  grant = grant.combine(
    iam.Grant.addToPrincipalOrResource({
      grantee,
      actions: [...CACHE_CONTRACT.listS3Actions],
      resourceArns: [bucket.bucketArn],
      resource: bucket,
      conditions: { StringLike: { 's3:prefix': pattern } },
    }),
  );
  if (bucket.encryptionKey !== undefined) {
    grant = grant.combine(bucket.encryptionKey.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt'));
  }
  acknowledgePrefixWildcard(grantee, bucket, pattern, CACHE_WILDCARD_REASON);
  return grant;
}
