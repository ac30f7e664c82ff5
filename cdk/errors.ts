/**
 * Errors thrown by the CDK construct.
 *
 * @module errors
 */

/**
 * `SpillBucket` props that cannot work together or cannot be right, thrown at
 * construction (synthesis never starts).
 *
 * @example
 * ```ts
 * import { Duration, Stack } from 'aws-cdk-lib';
 * import type * as s3 from 'aws-cdk-lib/aws-s3';
 * import { SpillBucket, SpillBucketPropsError } from 'lambda-s3-spill/cdk';
 * declare const stack: Stack;
 * declare const existing: s3.IBucket;
 * try {
 *   new SpillBucket(stack, 'Spill', { bucket: existing, expiration: Duration.days(2) });
 * } catch (error) {
 *   console.log(error instanceof SpillBucketPropsError); // true
 * }
 * ```
 */
export class SpillBucketPropsError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SpillBucketPropsError';
  }
}
