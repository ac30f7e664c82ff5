/**
 * One grant on one key prefix of the bucket, as every part of `SpillBucket`
 * (uploads, large messages) gives it.
 *
 * @module prefix-grant
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { acknowledgePrefixWildcard } from './acknowledgements.js';

/**
 * Grant `actions` on `<prefix>*`, with `kmsActions` on the bucket's key when it
 * has one, and acknowledge the prefix wildcard with `reason` (AwsSolutions-IAM5, this resource only).
 */
export function grantOnPrefix(
  bucket: s3.IBucket,
  prefix: string,
  grantee: iam.IGrantable,
  actions: readonly string[],
  kmsActions: readonly string[],
  reason: string,
): iam.Grant {
  const pattern = `${prefix}*`;
  let grant = iam.Grant.addToPrincipalOrResource({
    grantee,
    actions: [...actions],
    resourceArns: [bucket.arnForObjects(pattern)],
    resource: bucket,
  });
  if (bucket.encryptionKey !== undefined) grant = grant.combine(bucket.encryptionKey.grant(grantee, ...kmsActions));
  acknowledgePrefixWildcard(grantee, bucket, pattern, reason);
  return grant;
}
