/**
 * A `presign` hook that answers with a CloudFront signed URL instead of an S3
 * presigned URL: clients download from the CDN, and the URL carries no AWS
 * credentials of the function's role.
 *
 * What it takes: a CloudFront distribution whose origin is the spill bucket
 * through origin access control (the bucket policy lets CloudFront's service
 * principal `s3:GetObject` under the key prefix), a public key in a key group
 * trusted by the distribution's cache behaviour, and the matching private key
 * given to the function (from Secrets Manager or SSM, here an environment
 * variable). The function's role then needs only `s3:PutObject` (and
 * `s3:AbortMultipartUpload`) on the prefix: it no longer signs S3 GETs.
 */
import { getSignedUrl } from '@aws-sdk/cloudfront-signer';
import middy from '@middy/core';
import { type PresignInput, s3Spill } from 'lambda-s3-spill';

/** Where the distribution serves the bucket, and the key pair it trusts. */
export interface CloudFrontSigning {
  /** e.g. `https://d111111abcdef8.cloudfront.net` */
  readonly distributionUrl: string;
  /** The CloudFront public key id (`K2JCJMDEHXQW5F`). */
  readonly keyPairId: string;
  /** The private key, PEM. */
  readonly privateKey: string;
}

/** A `presign` hook for `s3Spill` that signs CloudFront URLs valid `expiresIn` seconds. */
export function cloudFrontPresign(signing: CloudFrontSigning) {
  return ({ key, expiresIn }: PresignInput): string =>
    getSignedUrl({
      url: `${signing.distributionUrl}/${key.split('/').map(encodeURIComponent).join('/')}`,
      keyPairId: signing.keyPairId,
      privateKey: signing.privateKey,
      dateLessThan: new Date(Date.now() + expiresIn * 1000).toISOString(),
    });
}

export const handler = middy(async () => ({ statusCode: 200, body: 'x'.repeat(7_000_000) })).use(
  s3Spill({
    presign: cloudFrontPresign({
      distributionUrl: process.env.SPILL_CDN_URL ?? 'https://d111111abcdef8.cloudfront.net',
      keyPairId: process.env.SPILL_CDN_KEY_PAIR_ID ?? '',
      privateKey: process.env.SPILL_CDN_PRIVATE_KEY ?? '',
    }),
  }),
);
