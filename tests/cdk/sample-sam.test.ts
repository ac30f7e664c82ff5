import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Template } from 'aws-cdk-lib/assertions';
import { SPILL_BUCKET_DEFAULTS, SPILL_S3_ACTIONS } from 'lambda-s3-spill/cdk';
import { parseCfnYaml } from './helpers/cfn-yaml.js';
import { spillContract } from './helpers/spill-contract.js';
import { spillStack } from './helpers/stacks.js';

const run = promisify(execFile);
const templatePath = join(process.cwd(), 'samples', 'sam', 'template.yaml');
const samText = readFileSync(templatePath, 'utf8');

/** Python cfn-lint (with the SAM translator): exit 0 clean, 2 on errors, 4 on warnings. */
async function cfnLint(path: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('cfn-lint', [path]);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error; // cfn-lint missing: fail loudly, never skip
    return { code: failed.code, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('samples/sam/template.yaml', () => {
  test('passes cfn-lint, which catches a broken copy of it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spill-sam-'));
    try {
      // A dangling Ref only shows once the SAM transform has run: proof that the linter expands it.
      const broken = join(dir, 'broken.yaml');
      writeFileSync(broken, samText.replace('S3_SPILL_BUCKET: !Ref SpillBucket', 'S3_SPILL_BUCKET: !Ref SpillBuckets'));
      const [clean, dirty] = await Promise.all([cfnLint(templatePath), cfnLint(broken)]);
      expect(clean).toEqual({ code: 0, output: '' });
      expect(dirty.code).toBe(2);
      expect(dirty.output).toMatch(/E1020 'SpillBuckets'.*ReportFunctionRole/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('agrees with the CDK construct on what matters', () => {
    const sam = parseCfnYaml(samText);
    const cdk = Template.fromStack(spillStack().stack).toJSON() as ReturnType<typeof parseCfnYaml>;
    const cdkContract = spillContract(cdk);

    test('expiry, prefix, public access block, encryption, TLS-only policy, grant scope and environment', () => {
      expect(spillContract(sam)).toEqual(cdkContract);
    });

    test('and the compared values are the construct defaults, not blanks', () => {
      const prefix = SPILL_BUCKET_DEFAULTS.prefix;
      expect(cdkContract.lifecycleRules).toEqual([
        {
          prefix,
          expirationDays: SPILL_BUCKET_DEFAULTS.expiration.toDays(),
          abortIncompleteMultipartUploadDays: 1,
          status: 'Enabled',
        },
      ]);
      expect(cdkContract.grants).toEqual([{ actions: [...SPILL_S3_ACTIONS].sort(), resources: [`<bucket>.Arn/${prefix}*`] }]);
      expect(cdkContract.environment).toEqual({ S3_SPILL_BUCKET: '<bucket>', S3_SPILL_PREFIX: prefix });
      expect(cdkContract.publicAccessBlock).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(cdkContract.encryption).toEqual({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      });
      expect(cdkContract.tlsOnly).toEqual([
        {
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          Resource: ['<bucket>.Arn', '<bucket>.Arn/*'],
        },
      ]);
      expect(cdkContract.deletionPolicy).toBe('Retain');
      // The template, like the construct without corsAllowedOrigins, has no CORS rule.
      expect(cdkContract.cors).toBeUndefined();
    });

    test('with a CORS rule, agree only when the SAM rule carries the construct\'s AllowedHeaders default', () => {
      const origins = ['https://app.example.com', 'null'];
      const cdkWithCors = spillContract(
        Template.fromStack(spillStack({ corsAllowedOrigins: origins }).stack).toJSON() as ReturnType<typeof parseCfnYaml>,
      );
      const samWithRule = (rule: Record<string, unknown>) => {
        const changed = parseCfnYaml(samText);
        changed.Resources.SpillBucket.Properties!.CorsConfiguration = {
          CorsRules: [{ AllowedMethods: ['GET', 'HEAD'], AllowedOrigins: origins, ExposedHeaders: ['Content-Disposition'], ...rule }],
        };
        return spillContract(changed);
      };
      expect(samWithRule({ AllowedHeaders: [...SPILL_BUCKET_DEFAULTS.corsAllowedHeaders] })).toEqual(cdkWithCors);
      expect(samWithRule({})).not.toEqual(cdkWithCors);
      expect(samWithRule({ AllowedHeaders: ['x-api-key'] })).not.toEqual(cdkWithCors);
    });

    test.each<[string, (template: ReturnType<typeof parseCfnYaml>) => void]>([
      ['another prefix default', (t) => void (t.Parameters!.SpillPrefix.Default = 'other/')],
      ['another expiry default', (t) => void (t.Parameters!.SpillExpirationDays.Default = 2)],
      ['an extra action', (t) => t.Resources.ReportFunction.Properties!.Policies[0].Statement[0].Action.push('s3:DeleteObject')],
      ['a grant on the whole bucket', (t) => void (t.Resources.ReportFunction.Properties!.Policies[0].Statement[0].Resource = { 'Fn::Sub': '${SpillBucket.Arn}/*' })],
      ['public access allowed', (t) => void (t.Resources.SpillBucket.Properties!.PublicAccessBlockConfiguration.BlockPublicPolicy = false)],
      ['KMS encryption', (t) => void (t.Resources.SpillBucket.Properties!.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm = 'aws:kms')],
      ['no TLS-only policy', (t) => void delete t.Resources.SpillBucketPolicy],
    ])('and tells them apart with %s', (_, mutate) => {
      const changed = parseCfnYaml(samText);
      mutate(changed);
      expect(spillContract(changed)).not.toEqual(cdkContract);
    });
  });
});
