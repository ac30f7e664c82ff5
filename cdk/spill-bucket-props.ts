/**
 * Props of `SpillBucket`.
 *
 * @module spill-bucket-props
 */
import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { SpillBucketDurableProps } from './durable-props.js';
import type { SpillBucketOffloadProps } from './offload-props.js';
import type { SpillBucketCacheProps } from './cache.js';
import type { SpillBucketUploadsProps } from './uploads.js';
import type { SpillBucketMessagesProps } from './messages.js';

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
export interface SpillBucketProps
  extends SpillBucketOffloadProps,
    SpillBucketDurableProps,
    SpillBucketUploadsProps,
    SpillBucketMessagesProps,
    SpillBucketCacheProps {
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
   * to it, and `connect()` sets it as `S3_SPILL_PREFIX`. The middleware's
   * rules for its `keyPrefix` (at most 1,024 UTF-8 bytes, no leading `/`, no
   * `.` or `..` segment, no control character), and the grant's: not empty, no
   * IAM wildcard (`*`, `?`) or policy variable (`${`).
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
   * GET and HEAD from them, with the request headers of `corsAllowedHeaders`.
   * The origin S3 sees depends on where the page is, and the answer it needs on
   * whether the `fetch()` sends credentials (why: "Browsers" on {@link SpillBucket}):
   * - a page on another origin than the API reaches S3 with `Origin: null`:
   *   `['*']` or `'null'` in the list; with `credentials: 'include'`, `'null'`
   *   and no `'*'`;
   * - a page on the API's own origin keeps its origin: `['*']` or that origin;
   *   with `credentials: 'include'`, that origin and no `'*'`.
   *
   * Not allowed with `bucket`.
   * @default - no CORS rule
   */
  readonly corsAllowedOrigins?: string[];

  /**
   * Request headers the CORS rule allows in a preflight (its `AllowedHeaders`:
   * header names, matched in any case, each with at most one `*` wildcard).
   * A browser repeats the API call's request headers on the redirected GET (all
   * but `Authorization`, which it drops when the redirect changes origin), so a
   * header that is not CORS-safelisted there (`x-api-key`,
   * `Content-Type: application/json`, `traceparent`) makes that GET preflighted,
   * and S3 answers the preflight 403 unless every requested header matches an
   * entry here.
   *
   * `['*']` by default, because the list is the API client's to choose, not the
   * bucket's: whatever a page sends its API reaches S3 too. Allowing them costs
   * nothing: S3 answers with just the headers the preflight asked for, the rule
   * allows only GET and HEAD, and no request header lets the GET do more than
   * the presigned URL (the credential) allows. Narrow it, to every header your
   * pages send, if a policy asks for explicit headers.
   *
   * Only with `corsAllowedOrigins`. Not allowed with `bucket`.
   * @default ['*']
   */
  readonly corsAllowedHeaders?: string[];

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
