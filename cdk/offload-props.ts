/**
 * The offload props of `SpillBucket` (`s3Offload()`, `withS3Offload()`,
 * `resolveOffloaded()`): a prefix of its own, with its own lifecycle rule and
 * grants. Their defaults are `OFFLOAD_DEFAULTS`.
 *
 * @module offload-props
 */
import type { Duration } from 'aws-cdk-lib';

/** Offloading props of {@link SpillBucketProps}. */
export interface SpillBucketOffloadProps {
  /**
   * Key prefix of offloaded results (`s3Offload()`, `withS3Offload()`): its own
   * lifecycle rule (`ExpireOffloadedObjects`, added when offloading is first
   * wired: `connectOffload`, `grantOffloadWrite`, `grantOffloadRead`), its own
   * grants, and `S3_OFFLOAD_PREFIX`. The same rules as `prefix`, and no `\`
   * or empty segment (`//`), as `resolveOffloaded` checks a prefix it reads
   * references under; neither may start with the other (one lifecycle rule per object).
   * @default 'offload/'
   */
  readonly offloadPrefix?: string;

  /**
   * How long offloaded results are kept before the lifecycle rule deletes them,
   * in whole days: long enough for the slowest consumer (a Step Functions
   * execution waiting on a retry, a human approval step) to read them.
   *
   * Not allowed with `bucket`.
   * @default Duration.days(1)
   */
  readonly offloadExpiration?: Duration;
}
