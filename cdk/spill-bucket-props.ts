/**
 * Props of `SpillBucket`.
 *
 * @module spill-bucket-props
 */
import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * Props of {@link SpillBucket}. Every one is optional.
 *
 * @example
 * ```ts
 * import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
 * import { SpillBucket, type SpillBucketProps } from 'lambda-s3-spill/cdk';
 * declare const stack: Stack;
 * const props: SpillBucketProps = {
 *   expiration: Duration.days(2),
 *   corsAllowedOrigins: ['*'],
 *   removalPolicy: RemovalPolicy.DESTROY,
 * };
 * new SpillBucket(stack, 'Spill', props);
 * ```
 */
export interface SpillBucketProps {
  /**
   * How long spilled objects are kept. Whole days, at least one: S3 rounds
   * lifecycle expiration to the next midnight UTC and deletes asynchronously, so
   * an object may live up to a day longer. Keep it above the presigned URL's
   * `expiresIn`.
   *
   * Not allowed with `bucket`.
   * @default Duration.days(1)
   */
  readonly expiration?: Duration;

  /**
   * Key prefix of spilled objects: the lifecycle rule and the grant are scoped
   * to it, and `connect()` sets it as `S3_SPILL_PREFIX`. Not empty, no leading
   * `/`, no `..` segment, no IAM wildcard (`*`, `?`) or policy variable (`${`).
   * End it with `/`: `spill` would also match `spillover/...`.
   * @default 'spill/'
   */
  readonly prefix?: string;

  /**
   * Server-side encryption. `KMS` uses `encryptionKey`, or creates a key with
   * rotation on; the grant then includes the KMS actions that writing and the
   * presigned GET need. `UNENCRYPTED` is refused.
   *
   * Not allowed with `bucket`.
   * @default - `BucketEncryption.S3_MANAGED`; `BucketEncryption.KMS` when `encryptionKey` is given
   */
  readonly encryption?: s3.BucketEncryption;

  /**
   * Customer managed KMS key for SSE-KMS (with an S3 Bucket Key, which cuts KMS
   * requests).
   *
   * Not allowed with `bucket`: import the bucket with its key instead
   * (`Bucket.fromBucketAttributes(this, 'B', { bucketName, encryptionKey })`).
   * @default - with `encryption: KMS`, a new key with rotation; otherwise none
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Origins of browser pages that read spilled bodies: one CORS rule allowing
   * GET and HEAD from them. A `fetch()` whose 303 crosses origins reaches S3 with
   * `Origin: null`, so such pages need `['*']` (the presigned URL is already the
   * credential) or `'null'` in the list.
   *
   * Not allowed with `bucket`.
   * @default - no CORS rule
   */
  readonly corsAllowedOrigins?: string[];

  /**
   * What happens to the bucket when it leaves the stack. `DESTROY` succeeds only
   * once the bucket is empty (the lifecycle rule empties it within `expiration`
   * and a day).
   *
   * Not allowed with `bucket`.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * An existing bucket to spill into instead of a new one. Its lifecycle,
   * encryption and public access are then yours to configure; only the grant and
   * the environment come from this construct. Giving it together with a prop that
   * shapes a new bucket is an error.
   * @default - a new bucket
   */
  readonly bucket?: s3.IBucket;

  /**
   * Bucket that receives this bucket's server access logs.
   *
   * Not allowed with `bucket`.
   * @default - no server access logs (AwsSolutions-S1 is acknowledged, with its reason)
   */
  readonly serverAccessLogsBucket?: s3.IBucket;

  /**
   * Key prefix of the server access logs. Only with `serverAccessLogsBucket`: a
   * bucket logging into itself would keep the logs past the spill lifecycle.
   *
   * Not allowed with `bucket`.
   * @default - no prefix
   */
  readonly serverAccessLogsPrefix?: string;
}
