/**
 * Issue 11, item 13: the spill bucket's CORS rule allows request headers, so a
 * redirected GET made non-simple by a header (x-api-key) passes its preflight.
 * `SpillBucket` gets `corsAllowedHeaders` (string[], default ['*']); the SAM
 * template's CORS rule has AllowedHeaders too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { SpillBucketProps } from 'lambda-s3-spill/cdk';
import { parseCfnYaml } from '../cdk/helpers/cfn-yaml.js';
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

describe('samples/sam/template.yaml', () => {
  it('has a CORS rule on the spill bucket with AllowedHeaders', () => {
    const template = parseCfnYaml(readFileSync(join(process.cwd(), 'samples', 'sam', 'template.yaml'), 'utf8'));
    const bucket = Object.values(template.Resources).find((r) => r.Type === 'AWS::S3::Bucket');
    const rules = bucket?.Properties?.CorsConfiguration?.CorsRules as Record<string, unknown>[] | undefined;
    expect(rules).toEqual(expect.arrayContaining([expect.objectContaining({ AllowedHeaders: expect.anything() })]));
    for (const rule of rules ?? []) {
      if (Array.isArray(rule.AllowedHeaders)) expect(rule.AllowedHeaders.length).toBeGreaterThan(0);
    }
  });
});
