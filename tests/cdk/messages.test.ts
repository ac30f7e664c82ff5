/**
 * SpillBucket's messages prefix: its lifecycle rule (14 days plus the
 * dead-letter retention), the two grants, the prop checks, cdk-nag, and
 * agreement with samples/sam/messages.yaml.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  MESSAGES_WILDCARD_REASON,
  SpillBucket,
  SpillBucketPropsError,
  type SpillBucketProps,
} from 'lambda-s3-spill/cdk';
import { parseCfnYaml, type Template as CfnTemplate } from './helpers/cfn-yaml.js';
import { prefixesContract } from './helpers/spill-contract.js';
import { existingBucket, placeholderFunction, synthWithNag } from './helpers/stacks.js';
import { wireLargeMessages } from '../../samples/messages/stack.js';

const BASIC_EXECUTION_ROLE =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

/** A stack with two placeholder functions. */
function twoFunctions(app: App) {
  const stack = new Stack(app, 'Messages');
  return { stack, producer: placeholderFunction(stack, 'Producer'), consumer: placeholderFunction(stack, 'Consumer') };
}

/** A producer and a consumer on one SpillBucket with messages, as samples/sam/messages.yaml. */
function messagesStack(app = new App(), props: SpillBucketProps = { messages: {} }, deleteAfterUse = true) {
  const { stack, producer, consumer } = twoFunctions(app);
  const spill = new SpillBucket(stack, 'Spill', props);
  spill.grantMessagesWrite(producer);
  spill.grantMessagesRead(consumer, { deleteAfterUse });
  for (const f of [producer, consumer]) f.addEnvironment('S3_SPILL_BUCKET', spill.bucket.bucketName);
  producer.addEnvironment('S3_MESSAGES_PREFIX', spill.messagesPrefix!);
  return finish(app, stack, spill, producer, consumer);
}

/** The CDK sample's stack (samples/messages/stack.ts), as the docs show it. */
function sampleStack(app = new App()) {
  const { stack, producer, consumer } = twoFunctions(app);
  const spill = wireLargeMessages(stack, producer, consumer);
  return finish(app, stack, spill, producer, consumer);
}

function finish(app: App, stack: Stack, spill: SpillBucket, producer: lambda.Function, consumer: lambda.Function) {
  for (const f of [producer, consumer]) {
    Validations.of(f).acknowledge({ id: BASIC_EXECUTION_ROLE, reason: 'Test function: the managed policy only writes its own logs.' });
  }
  return { app, stack, spill, producer, consumer };
}

const statementsOf = (template: Template) =>
  Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p) => (p as { Properties: { PolicyDocument: { Statement: { Action: unknown }[] } } }).Properties.PolicyDocument.Statement,
  );

describe('SpillBucket messages', () => {
  test('a lifecycle rule of 14 days plus the dead-letter retention (28 by default), rounded up to whole days', () => {
    const days = (props: SpillBucketProps) => {
      const template = Template.fromStack(messagesStack(new App(), props).stack);
      const [bucket] = Object.values(template.findResources('AWS::S3::Bucket')) as { Properties: { LifecycleConfiguration: { Rules: { Id: string }[] } } }[];
      return bucket!.Properties.LifecycleConfiguration.Rules.find((r) => r.Id === 'ExpireLargeMessages') as Record<string, unknown>;
    };
    expect(days({ messages: {} })).toMatchObject({ Prefix: 'messages/', ExpirationInDays: 28, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } });
    expect(days({ messages: { deadLetterRetention: Duration.days(4) } }).ExpirationInDays).toBe(18);
    expect(days({ messages: { deadLetterRetention: Duration.hours(1), prefix: 'q/' } })).toMatchObject({ Prefix: 'q/', ExpirationInDays: 15 });
  });

  test('grantMessagesWrite: PutObject and AbortMultipartUpload; grantMessagesRead: GetObject and DeleteObject, or GetObject alone', () => {
    const template = Template.fromStack(messagesStack().stack);
    const actions = statementsOf(template).map((s) => [s.Action].flat().sort());
    expect(actions).toEqual(
      expect.arrayContaining([
        ['s3:AbortMultipartUpload', 's3:PutObject'],
        ['s3:DeleteObject', 's3:GetObject'],
      ]),
    );
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Resource: { 'Fn::Join': ['', [Match.objectLike({ 'Fn::GetAtt': Match.anyValue() }), '/messages/*']] } }),
        ]),
      },
    });
    const noDelete = statementsOf(Template.fromStack(messagesStack(new App(), { messages: {} }, false).stack)).map((s) => [s.Action].flat().sort());
    expect(noDelete).toContainEqual(['s3:GetObject']);
    expect(noDelete.flat()).not.toContain('s3:DeleteObject');
  });

  test('with a KMS key, the producer gets GenerateDataKey and Decrypt, the consumer Decrypt', () => {
    const app = new App();
    const stack = new Stack(app, 'Kms');
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const spill = new SpillBucket(stack, 'Spill', { messages: {}, encryptionKey: key });
    spill.grantMessagesWrite(placeholderFunction(stack, 'P'));
    spill.grantMessagesRead(placeholderFunction(stack, 'C'));
    const kmsActions = statementsOf(Template.fromStack(stack))
      .map((s) => [s.Action].flat().filter((a) => String(a).startsWith('kms:')).sort())
      .filter((a) => a.length > 0);
    expect(kmsActions).toEqual(expect.arrayContaining([['kms:Decrypt', 'kms:GenerateDataKey'], ['kms:Decrypt']]));
  });

  test.each<[string, SpillBucketProps, RegExp]>([
    ['overlapping the spill prefix', { messages: { prefix: 'spill/messages/' } }, /overlaps the prefix "spill\/"/],
    ['overlapping the uploads prefix', { uploads: { prefix: 'in/' }, messages: { prefix: 'in/' } }, /overlaps/],
    ['a wildcard', { messages: { prefix: 'm*/' } }, /must not contain "\*"/],
    ['a retention over 14 days', { messages: { deadLetterRetention: Duration.days(15) } }, /60 seconds to 14 days/],
  ])('refuses a messages prop %s', (_, props, message) => {
    expect(() => messagesStack(new App(), props)).toThrow(message);
  });

  test('an existing bucket takes only the prefix (and warns about its lifecycle); grants need messages', () => {
    const stack = new Stack(new App(), 'Existing');
    const bucket = existingBucket(stack);
    expect(() => new SpillBucket(stack, 'S1', { bucket, messages: { deadLetterRetention: Duration.days(1) } })).toThrow(SpillBucketPropsError);
    const withPrefix = new SpillBucket(stack, 'S2', { bucket, messages: { prefix: 'queue-bodies/' } });
    expect(withPrefix.messagesPrefix).toBe('queue-bodies/');
    const none = new SpillBucket(new Stack(new App(), 'None'), 'S');
    expect(() => none.grantMessagesRead(placeholderFunction(none, 'F'))).toThrow('need the messages prop');
  });

  test('cdk-nag finds nothing unacknowledged (the sample, with its queues, too); the messages wildcard is acknowledged with its reason', () => {
    expect(synthWithNag((app) => void messagesStack(app))).toEqual([]);
    expect(synthWithNag((app) => void sampleStack(app))).toEqual([]);
    // Without the acknowledgement, the prefix wildcard is a finding: the check above can fail.
    const findings = synthWithNag((app) => {
      const { producer } = messagesStack(app);
      producer.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::other-bucket/*'] }));
    });
    expect(findings.some((f) => f.startsWith('AwsSolutions-IAM5'))).toBe(true);
    expect(MESSAGES_WILDCARD_REASON).toMatch(/large-messages prefix/);
  });
});

describe('samples/sam/messages.yaml', () => {
  const samText = readFileSync(join(process.cwd(), 'samples', 'sam', 'messages.yaml'), 'utf8');
  const s3Variables = (name: string) => name.startsWith('S3_');

  test('passes cfn-lint', async () => {
    const { stdout, stderr } = await promisify(execFile)('cfn-lint', [join('samples', 'sam', 'messages.yaml')]);
    expect(stdout + stderr).toBe('');
  });

  test('agrees with the CDK sample: lifecycle rules, public access, encryption, grants, environment', () => {
    const cdk = prefixesContract(Template.fromStack(sampleStack().stack).toJSON() as CfnTemplate, s3Variables);
    expect(prefixesContract(Template.fromStack(messagesStack().stack).toJSON() as CfnTemplate, s3Variables)).toEqual(cdk);
    const sam = prefixesContract(parseCfnYaml(samText), s3Variables);
    expect(sam).toEqual(cdk);
    expect(cdk.lifecycleRules.map((r: { id: string }) => r.id)).toEqual(['ExpireSpilledObjects', 'ExpireLargeMessages']);
    expect(cdk.grants).toHaveLength(2);
  });

  test.each<[string, (t: CfnTemplate) => void]>([
    ['a shorter lifecycle', (t) => void (t.Parameters!.MessagesExpirationDays.Default = 14)],
    ['no delete for the consumer', (t) => void t.Resources.ConsumerFunction.Properties!.Policies[0].Statement[0].Action.pop()],
    ['the producer without its prefix', (t) => void delete t.Resources.ProducerFunction.Properties!.Environment.Variables.S3_MESSAGES_PREFIX],
  ])('and tells them apart with %s', (_, mutate) => {
    const changed = parseCfnYaml(samText);
    mutate(changed);
    expect(prefixesContract(changed, s3Variables)).not.toEqual(prefixesContract(Template.fromStack(messagesStack().stack).toJSON() as CfnTemplate, s3Variables));
  });
});
