/**
 * The durable-function props of `SpillBucket` (`s3Serdes()`): a prefix of its
 * own, with its own lifecycle rule and grant. Their defaults are
 * `DURABLE_DEFAULTS`.
 *
 * @module durable-props
 */
import type { Duration } from 'aws-cdk-lib';

/** Durable-function props of {@link SpillBucketProps}. */
export interface SpillBucketDurableProps {
  /**
   * Key prefix of the values `s3Serdes()` stores for durable functions: its
   * own lifecycle rule (`ExpireDurableObjects`, added when durable functions
   * are first wired: `connectDurable`, `grantDurable`), its own grant, and
   * `S3_DURABLE_PREFIX`. The same rules as `prefix`, and no `\` or empty
   * segment (`//`), as `s3Serdes` checks a prefix it reads references under;
   * it must not overlap `prefix` or `offloadPrefix` (one lifecycle rule per object).
   * @default 'durable/'
   */
  readonly durablePrefix?: string;

  /**
   * How long values stored by `s3Serdes()` are kept before the lifecycle rule
   * deletes them, in whole days. A durable execution replays its completed
   * steps from their checkpoints until it ends, up to a year later (its
   * `executionTimeout` is at most 366 days), and a checkpoint may be a
   * reference to one of these objects: expire them sooner only if every
   * execution ends sooner.
   *
   * Not allowed with `bucket`.
   * @default Duration.days(366)
   */
  readonly durableExpiration?: Duration;
}
