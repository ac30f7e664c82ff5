/**
 * SpillBucket's cache: the prefix's lifecycle rule, `grantCache` (object
 * actions on the prefix, ListBucket only for keys under it), `connectCache`
 * (environment); samples/sam/cache-template.yaml equal to it on what matters,
 * cfn-lint clean; cdk-nag clean.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App, Duration, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CACHE_S3_ACTIONS, SPILL_CACHE_DEFAULTS, SpillBucket, SpillBucketPropsError } from 'lambda-s3-spill/cdk';
import { parseCfnYaml, type Template as Cfn } from './helpers/cfn-yaml.js';
import { allowStatements, flattener, spillContract } from './helpers/spill-contract.js';
import { addSpillStack, synthWithNag } from './helpers/stacks.js';
import { CacheSampleStack } from '../../samples/cdk/cache-stack.js';

const run = promisify(execFile);
const templatePath = join(process.cwd(), 'samples', 'sam', 'cache-template.yaml');
const samText = readFileSync(templatePath, 'utf8');

/** A stack with `cache: {}`, `connect(fn)` and `connectCache(fn)`. */
function cacheStack(app = new App()) {
  const built = addSpillStack(app, { cache: {} });
  built.spill.connectCache(built.fn);
  return built;
}

/** The cache contract: lifecycle rules, environment, and every Allow statement on the bucket (with conditions). */
function cacheContract(template: Cfn) {
  const spill = spillContract(template);
  const bucketId = Object.entries(template.Resources).find(([, r]) => r.Type === 'AWS::S3::Bucket')![0];
  const flat = flattener(template, bucketId);
  const fn = Object.values(template.Resources).find((r) => r.Type.endsWith('::Function'))!;
  const variables = flat(fn.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) ? v : [v]);
  return {
    lifecycleRules: spill.lifecycleRules,
    environment: { S3_SPILL_BUCKET: variables.S3_SPILL_BUCKET, S3_SPILL_PREFIX: variables.S3_SPILL_PREFIX, S3_CACHE_PREFIX: variables.S3_CACHE_PREFIX },
    statements: allowStatements(template, flat)
      .filter((s) => JSON.stringify(s.Resource).includes('<bucket>'))
      .flatMap((s) => (list(s.Action) as string[]).flatMap((a) => (list(s.Resource) as string[]).map((r) => `${a} on ${r}${s.Condition ? ` if ${JSON.stringify(s.Condition)}` : ''}`)))
      .sort(),
    tlsOnly: spill.tlsOnly,
    encryption: spill.encryption,
    publicAccessBlock: spill.publicAccessBlock,
  };
}

test('the construct: a lifecycle rule for the prefix, the grant scoped to it, the environment', () => {
  const contract = cacheContract(Template.fromStack(cacheStack().stack).toJSON() as Cfn);
  const prefix = SPILL_CACHE_DEFAULTS.prefix;
  expect(contract.lifecycleRules).toContainEqual({ prefix, expirationDays: 2, abortIncompleteMultipartUploadDays: 1, status: 'Enabled' });
  expect(contract.environment).toEqual({ S3_SPILL_BUCKET: '<bucket>', S3_SPILL_PREFIX: 'spill/', S3_CACHE_PREFIX: prefix });
  for (const action of CACHE_S3_ACTIONS) expect(contract.statements).toContain(`${action} on <bucket>.Arn/${prefix}*`);
  expect(contract.statements).toContain(`s3:ListBucket on <bucket>.Arn if {"StringLike":{"s3:prefix":"${prefix}*"}}`);
  expect(contract.statements.filter((s) => s.startsWith('s3:ListBucket'))).toHaveLength(1);
});

test('samples/sam/cache-template.yaml passes cfn-lint and agrees with the construct', async () => {
  const { stdout, stderr } = await run('cfn-lint', [templatePath]);
  expect(stdout + stderr).toBe('');
  const cdk = cacheContract(Template.fromStack(cacheStack().stack).toJSON() as Cfn);
  expect(cacheContract(parseCfnYaml(samText))).toEqual(cdk);
  // A template that lists the whole bucket is told apart.
  expect(cacheContract(parseCfnYaml(samText.replace("s3:prefix: !Sub '${CachePrefix}*'", "s3:prefix: '*'")))).not.toEqual(cdk);
});

test('cdk-nag: nothing reported on the bucket or the function beyond the test function\'s managed policy', () => {
  const findings = synthWithNag((app) => {
    const built = cacheStack(app);
    Validations.of(built.fn).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'Test function: the AWS managed policy only lets it write its own CloudWatch Logs.',
    });
  });
  expect(findings).toEqual([]);
});

test('props checked: overlapping prefixes, partial days, expiration with an existing bucket', () => {
  expect(() => addSpillStack(new App(), { cache: { prefix: 'spill/cache/' } })).toThrow(SpillBucketPropsError);
  expect(() => addSpillStack(new App(), { cache: { prefix: 'messages/' }, messages: {} })).toThrow(/cache.prefix .* messages.prefix/);
  expect(() => addSpillStack(new App(), { cache: { expiration: Duration.hours(5) } })).toThrow(SpillBucketPropsError);
  expect(() => addSpillStack(new App(), { cache: { prefix: '*' } })).toThrow(SpillBucketPropsError);
  expect(SpillBucket).toBeDefined();
});

test('samples/cdk/cache-stack.ts synthesizes clean under cdk-nag, with the grant and environment of the SAM template', () => {
  let template: Cfn | undefined;
  const findings = synthWithNag((app) => {
    template = Template.fromStack(new CacheSampleStack(app, 'CacheSample')).toJSON() as Cfn;
  });
  expect(findings).toEqual([]);
  const sam = cacheContract(parseCfnYaml(samText));
  expect(cacheContract(template!)).toEqual(sam);
});
