/**
 * SpillBucket's uploads prefix: its lifecycle and CORS rules, the two grants,
 * the prop checks, cdk-nag, and agreement with samples/sam/uploads.yaml.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SpillBucket, type SpillBucketProps, UPLOAD_KEEP_WILDCARD_REASON, UPLOADS_WILDCARD_REASON } from 'lambda-s3-spill/cdk';
import { parseCfnYaml, type Template as CfnTemplate } from './helpers/cfn-yaml.js';
import { prefixesContract } from './helpers/spill-contract.js';
import { AwsSolutionsChecks } from 'cdk-nag';
import { UploadsSampleStack } from '../../samples/uploads/stack.js';
import { existingBucket, expectPropsError, placeholderFunction, synthWithNag, validationFindings } from './helpers/stacks.js';

const ORIGIN = 'https://app.example.com';
const BASIC_EXECUTION_ROLE =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

/** A forms function and an API function on one SpillBucket with uploads, as samples/sam/uploads.yaml. */
function uploadsStack(app = new App(), props: SpillBucketProps = { uploads: { corsAllowedOrigins: [ORIGIN] } }) {
  const stack = new Stack(app, 'Uploads');
  const forms = placeholderFunction(stack, 'Forms');
  const api = placeholderFunction(stack, 'Api');
  const spill = new SpillBucket(stack, 'Spill', props);
  spill.grantUploadForms(forms);
  spill.connect(api);
  spill.grantUploadRead(api, { deleteAfter: true });
  spill.grantUploadKeep(api, { prefix: 'photos/' });
  for (const f of [forms, api]) f.addEnvironment('S3_SPILL_UPLOAD_PREFIX', spill.uploadsPrefix!);
  forms.addEnvironment('S3_SPILL_BUCKET', spill.bucket.bucketName);
  for (const f of [forms, api]) {
    Validations.of(f).acknowledge({ id: BASIC_EXECUTION_ROLE, reason: 'Test function: the managed policy only writes its own logs.' });
  }
  return { app, stack, spill, forms, api };
}

describe('SpillBucket uploads', () => {
  const template = Template.fromStack(uploadsStack().stack);

  test('a lifecycle rule of its own and a POST CORS rule from the given origins', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({ Id: 'ExpireSpilledObjects', Prefix: 'spill/' }),
          { Id: 'ExpireUploads', Prefix: 'uploads/', ExpirationInDays: 1, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' },
        ],
      },
      CorsConfiguration: {
        CorsRules: [{ Id: 'UploadForms', AllowedMethods: ['POST'], AllowedOrigins: [ORIGIN], AllowedHeaders: ['*'], ExposedHeaders: ['ETag'] }],
      },
    });
  });

  test('the spill CORS rule and the uploads one side by side', () => {
    const t = Template.fromStack(uploadsStack(new App(), { corsAllowedOrigins: ['*'], uploads: { corsAllowedOrigins: [ORIGIN], prefix: 'in/', expiration: Duration.days(3) } }).stack);
    t.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedMethods: ['GET', 'HEAD'] }), Match.objectLike({ AllowedMethods: ['POST'] })] },
      LifecycleConfiguration: { Rules: [Match.anyValue(), Match.objectLike({ Prefix: 'in/', ExpirationInDays: 3 })] },
    });
  });

  test('grantUploadForms: s3:PutObject on the uploads prefix only; grantUploadRead: s3:GetObject (and DeleteObject); grantUploadKeep: s3:GetObject there, s3:PutObject on its prefix', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const on = (path: string) => statements.filter((s: any) => JSON.stringify(s.Resource).includes(path)).map((s: any) => [s.Action].flat().sort()).sort();
    expect(on('/uploads/*')).toEqual([['s3:DeleteObject', 's3:GetObject'], ['s3:GetObject'], ['s3:PutObject']]);
    expect(on('/photos/*')).toEqual([['s3:PutObject']]);
  });

  test('grantUploadKeep to another bucket: s3:PutObject on its prefix there; with KMS keys, kms:Decrypt on the uploads key and kms:GenerateDataKey on the destination\'s', () => {
    const stack = new Stack(new App(), 'Keep');
    const spill = new SpillBucket(stack, 'Spill', { encryption: s3.BucketEncryption.KMS, uploads: {} });
    const archive = new s3.Bucket(stack, 'Archive', { encryption: s3.BucketEncryption.KMS, enforceSSL: true });
    const fn = placeholderFunction(stack, 'Keeper');
    const grant = spill.grantUploadKeep(fn, { bucket: archive, prefix: 'incoming/' });
    expect(grant.success).toBe(true);
    const t = Template.fromStack(stack);
    const statements = Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const described = statements.map((s: any) => ({ actions: [s.Action].flat().sort(), resource: JSON.stringify(s.Resource) }));
    const archiveId = stack.getLogicalId(archive.node.defaultChild as s3.CfnBucket);
    const spillId = stack.getLogicalId(spill.bucket.node.defaultChild as s3.CfnBucket);
    expect(described).toContainEqual({ actions: ['s3:PutObject'], resource: expect.stringMatching(new RegExp(`${archiveId}.*/incoming/\\*`)) });
    expect(described).toContainEqual({ actions: ['s3:GetObject'], resource: expect.stringMatching(new RegExp(`${spillId}.*/uploads/\\*`)) });
    expect(described.filter((s) => s.actions.some((a: string) => a.startsWith('kms:'))).map((s) => s.actions)).toEqual([['kms:Decrypt'], ['kms:GenerateDataKey']]);
    expect(described.filter((s) => s.resource.includes(archiveId) && s.actions.includes('s3:GetObject'))).toEqual([]);
  });

  test.each<[string, { prefix: string }, RegExp]>([
    ['the uploads prefix', { prefix: 'uploads/kept/' }, /overlaps the uploads prefix/],
    ['the spill prefix', { prefix: 'spill/' }, /overlaps the spill prefix/],
    ['a prefix holding the offload prefix', { prefix: 'off' }, /overlaps the offload prefix/],
    ['the durable prefix', { prefix: 'durable/kept/' }, /overlaps the durable prefix/],
    ['the cache prefix', { prefix: 'cache/' }, /overlaps the cache prefix/],
    ['an empty prefix', { prefix: '' }, /must not be empty/],
    ['a wildcard', { prefix: 'kept*/' }, /must not contain "\*"/],
  ])('grantUploadKeep refuses %s in the same bucket', (_, destination, message) => {
    const stack = new Stack(new App(), 'S');
    const spill = new SpillBucket(stack, 'Spill', { uploads: {} });
    const fn = placeholderFunction(stack, 'F');
    expectPropsError(() => spill.grantUploadKeep(fn, destination), message);
  });

  test('with a KMS key, the form signer gets kms:GenerateDataKey and the reader kms:Decrypt', () => {
    const built = uploadsStack(new App(), { encryption: s3.BucketEncryption.KMS, uploads: {} });
    const statements = Object.values(Template.fromStack(built.stack).findResources('AWS::IAM::Policy')).flatMap(
      (p: any) => p.Properties.PolicyDocument.Statement,
    );
    const kms = statements.filter((s: any) => JSON.stringify(s.Action).includes('kms:')).map((s: any) => [s.Action].flat().sort());
    expect(kms).toEqual(expect.arrayContaining([['kms:GenerateDataKey'], ['kms:Decrypt']]));
  });

  test.each<[string, SpillBucketProps, RegExp]>([
    ['a prefix that overlaps the spill prefix', { uploads: { prefix: 'spill/up/' } }, /overlaps the spill prefix/],
    ['a spill prefix inside the uploads prefix', { prefix: 'up/spill/', uploads: { prefix: 'up/' } }, /overlaps/],
    ['a wildcard', { uploads: { prefix: 'up*/' } }, /must not contain/],
    ['a .. segment', { uploads: { prefix: 'a/../' } }, /segment/],
    ['an empty prefix', { uploads: { prefix: '' } }, /empty/],
    ['half a day', { uploads: { expiration: Duration.hours(12) } }, /whole days/],
    ['no origins', { uploads: { corsAllowedOrigins: [] } }, /must not be empty/],
  ])('refuses %s', (_, props, message) => {
    expectPropsError(() => new SpillBucket(new Stack(new App(), 'S'), 'Spill', props), message);
  });

  test('an existing bucket takes only the uploads prefix; grants need uploads', () => {
    const stack = new Stack(new App(), 'S');
    const bucket = existingBucket(stack);
    expect(() => new SpillBucket(stack, 'X', { bucket, uploads: { expiration: Duration.days(2) } })).toThrow(/only a prefix/);
    expect(new SpillBucket(stack, 'Y', { bucket, uploads: { prefix: 'in/' } }).uploadsPrefix).toBe('in/');
    const plain = new SpillBucket(stack, 'Z');
    const fn = placeholderFunction(stack, 'F');
    expect(() => plain.grantUploadRead(fn)).toThrow(/need the uploads prop/);
    expect(() => plain.grantUploadKeep(fn, { prefix: 'kept/' })).toThrow(/need the uploads prop/);
  });

  test('cdk-nag finds nothing unacknowledged; the uploads wildcard is acknowledged with its reason', () => {
    expect(synthWithNag((app) => void uploadsStack(app))).toEqual([]);
    expect(synthWithNag((app) => void uploadsStack(app, { encryption: s3.BucketEncryption.KMS, uploads: { corsAllowedOrigins: [ORIGIN] } }))).toEqual([]);
    expect(UPLOADS_WILDCARD_REASON).toMatch(/uploads prefix/);
  });

  test('cdk-nag finds nothing unacknowledged in a keep grant to another bucket: its destination wildcard is acknowledged with its reason', () => {
    const findings = synthWithNag((app) => {
      const stack = new Stack(app, 'KeepElsewhere');
      const spill = new SpillBucket(stack, 'Spill', { encryption: s3.BucketEncryption.KMS, uploads: {} });
      const archive = new SpillBucket(stack, 'Archive', { encryption: s3.BucketEncryption.KMS });
      const fn = placeholderFunction(stack, 'Keeper');
      Validations.of(fn).acknowledge({ id: BASIC_EXECUTION_ROLE, reason: 'Test function: the managed policy only writes its own logs.' });
      spill.grantUploadKeep(fn, { bucket: archive.bucket, prefix: 'incoming/' });
    });
    expect(findings).toEqual([]);
    expect(UPLOAD_KEEP_WILDCARD_REASON).toMatch(/destination prefix/);
  });
});

describe('samples/sam/uploads.yaml', () => {
  const samText = readFileSync(join(process.cwd(), 'samples', 'sam', 'uploads.yaml'), 'utf8');

  test('passes cfn-lint', async () => {
    const { stdout, stderr } = await promisify(execFile)('cfn-lint', [join('samples', 'sam', 'uploads.yaml')]);
    expect(stdout + stderr).toBe('');
  });

  test('agrees with the CDK construct: lifecycle rules, CORS, public access, encryption, grants, environment', () => {
    const cdk = prefixesContract(Template.fromStack(uploadsStack().stack).toJSON() as CfnTemplate);
    const sam = prefixesContract(parseCfnYaml(samText));
    expect(sam).toEqual(cdk);
    expect(cdk.grants).toHaveLength(5);
    expect(cdk.lifecycleRules.map((r: { prefix: string }) => r.prefix)).toEqual(['spill/', 'uploads/']);
  });
});

describe('samples/uploads/stack.ts', () => {
  test('synthesizes (handlers bundled by esbuild) with the uploads rules and grants; cdk-nag finds only the functions\' managed execution role', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'uploads-sample-'));
    try {
      const app = new App({ outdir });
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      new UploadsSampleStack(app, 'UploadsSample');
      try {
        app.synth();
      } catch {
        // findings fail the synthesis; the report says which
      }
      const template = Template.fromJSON(JSON.parse(readFileSync(join(outdir, 'UploadsSample.template.json'), 'utf8')));
      template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: { Rules: [Match.anyValue(), Match.objectLike({ Id: 'ExpireUploads', Prefix: 'uploads/' })] },
        CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedMethods: ['POST'], AllowedOrigins: ['https://app.example.com'] })] },
      });
      template.resourceCountIs('AWS::Lambda::Function', 2);
      expect(validationFindings(outdir).sort()).toEqual([
        `${BASIC_EXECUTION_ROLE} at UploadsSample/Forms/ServiceRole/Resource`,
        `${BASIC_EXECUTION_ROLE} at UploadsSample/Photos/ServiceRole/Resource`,
      ]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
