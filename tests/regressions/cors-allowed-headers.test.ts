/**
 * Issue 11, item 13: the spill bucket's CORS rule allows request headers, so a
 * redirected GET made non-simple by a header (x-api-key) passes its preflight.
 * `SpillBucket` gets `corsAllowedHeaders` (string[], default ['*']); the SAM
 * template's CORS rule has AllowedHeaders too.
 */
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { SpillBucketProps } from 'lambda-s3-spill/cdk';
import { spillStack } from '../cdk/helpers/stacks.js';

describe('SpillBucket corsAllowedHeaders', () => {
  it('lands as AllowedHeaders in the bucket CORS rule', () => {
    const { stack } = spillStack({
      corsAllowedOrigins: ['https://app.example'],
      corsAllowedHeaders: ['x-api-key', 'authorization'],
    } as SpillBucketProps);
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [
          Match.objectLike({
            AllowedOrigins: ['https://app.example'],
            AllowedMethods: Match.arrayWith(['GET']),
            AllowedHeaders: ['x-api-key', 'authorization'],
          }),
        ],
      },
    });
  });

  it("defaults to ['*'] when origins are given", () => {
    const { stack } = spillStack({ corsAllowedOrigins: ['https://app.example'] });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [Match.objectLike({ AllowedOrigins: ['https://app.example'], AllowedHeaders: ['*'] })],
      },
    });
  });
});
// The SAM template has no CORS rule by default, as SpillBucket without corsAllowedOrigins;
// tests/cdk/sample-sam.test.ts checks that a SAM rule agrees only when it carries AllowedHeaders.
