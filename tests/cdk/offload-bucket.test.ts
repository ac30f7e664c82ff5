/** SpillBucket's offload side: the prefix's own lifecycle rule, the producer and consumer grants, the props. */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { OFFLOAD_DEFAULTS, OFFLOAD_READ_S3_ACTIONS, OFFLOAD_WRITE_S3_ACTIONS, SpillBucket, type SpillBucketProps } from 'lambda-s3-spill/cdk';
import { documentedDefaults } from '../support/tsdoc.js';
import { existingBucket, expectPropsError, placeholderFunction, placeholderRole, synthWithNag } from './helpers/stacks.js';

function offloadStack(props: SpillBucketProps = {}, wire = true) {
  const stack = new Stack(new App(), 'Offload');
  const producer = placeholderFunction(stack, 'Producer');
  const consumer = placeholderFunction(stack, 'Consumer');
  const spill = new SpillBucket(stack, 'Spill', props);
  if (wire) {
    spill.connect(producer);
    spill.connectOffload(producer, { read: false });
    spill.connectOffload(consumer);
  }
  return { stack, spill, producer, consumer, template: () => Template.fromStack(stack) };
}

/** The Allow statements of the policy attached to a function's role. */
function statementsOf(template: Template, stack: Stack, fn: lambda.Function) {
  const roleId = stack.getLogicalId(fn.role!.node.defaultChild as iam.CfnRole);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
    .map((s) => ({ actions: [s.Action].flat().sort(), resource: JSON.stringify(s.Resource) }));
}

test('a spill-only stack is unchanged: no offload rule until offloading is wired', () => {
  const { template } = offloadStack({}, false);
  template().hasResourceProperties('AWS::S3::Bucket', {
    LifecycleConfiguration: { Rules: [Match.objectLike({ Id: 'ExpireSpilledObjects' })] },
  });
});

test('wired: the offload prefix has its own lifecycle rule (expiry, aborted multipart uploads)', () => {
  const { template } = offloadStack({ offloadExpiration: Duration.days(3) });
  template().hasResourceProperties('AWS::S3::Bucket', {
    LifecycleConfiguration: {
      Rules: [
        Match.objectLike({ Id: 'ExpireSpilledObjects', Prefix: 'spill/', ExpirationInDays: 1 }),
        { Id: 'ExpireOffloadedObjects', Status: 'Enabled', Prefix: 'offload/', ExpirationInDays: 3, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
      ],
    },
  });
});

test('the producer may write under offload/ only, the consumer also read; environment set', () => {
  const { stack, template, producer, consumer } = offloadStack();
  const t = template();
  const producerStatements = statementsOf(t, stack, producer).filter((s) => s.resource.includes('offload/'));
  expect(producerStatements.map((s) => s.actions)).toEqual([[...OFFLOAD_WRITE_S3_ACTIONS].sort()]);
  const consumerStatements = statementsOf(t, stack, consumer);
  expect(consumerStatements.map((s) => s.actions)).toEqual([[...OFFLOAD_WRITE_S3_ACTIONS].sort(), [...OFFLOAD_READ_S3_ACTIONS]]);
  for (const s of consumerStatements) expect(s.resource).toMatch(/\/offload\/\*"/);
  t.hasResourceProperties('AWS::Lambda::Function', {
    Environment: { Variables: { S3_OFFLOAD_BUCKET: { Ref: Match.anyValue() }, S3_OFFLOAD_PREFIX: 'offload/' } },
  });
});

test('grantOffloadRead for a function that only resolves (or any principal): s3:GetObject, and kms:Decrypt with a key', () => {
  const { stack, spill, template } = offloadStack({ encryption: s3.BucketEncryption.KMS }, false);
  const role = placeholderRole(stack, 'Caller');
  spill.grantOffloadRead(role).assertSuccess();
  const statements = Object.values(template().findResources('AWS::IAM::Policy')).flatMap(
    (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[] }[],
  );
  expect(statements.map((s) => s.Action)).toEqual(['s3:GetObject', 'kms:Decrypt']);
});

test('cdk-nag: the offload grants are acknowledged exactly, with their reason; nothing else is found', () => {
  const findings = synthWithNag((app) => {
    const stack = new Stack(app, 'Nag');
    const fn = placeholderFunction(stack, 'Fn');
    const spill = new SpillBucket(stack, 'Spill', { encryption: s3.BucketEncryption.KMS });
    spill.connect(fn);
    spill.connectOffload(fn);
  });
  expect(findings.filter((f) => !f.includes('AwsSolutions-IAM4'))).toEqual([]);
});

test.each<[SpillBucketProps, RegExp]>([
  [{ offloadPrefix: '' }, /offloadPrefix must not be empty/],
  [{ offloadPrefix: '/offload/' }, /offloadPrefix must not start with "\/"/],
  [{ offloadPrefix: 'a/../b/' }, /offloadPrefix must not contain a "\.\." segment/],
  [{ offloadPrefix: 'off*/' }, /offloadPrefix must not contain "\*"/],
  [{ offloadPrefix: 'spill/offload/' }, /must not overlap/],
  [{ prefix: 'data/', offloadPrefix: 'data/' }, /must not overlap/],
  [{ offloadExpiration: Duration.hours(12) }, /offloadExpiration must be whole days/],
])('refuses %p', (props, message) => {
  expectPropsError(() => offloadStack(props, false), message);
});

test('an existing bucket: no lifecycle rule can be added, a warning says so; offloadExpiration is refused', () => {
  const stack = new Stack(new App(), 'Existing');
  const bucket = existingBucket(stack);
  expect(() => new SpillBucket(stack, 'Bad', { bucket, offloadExpiration: Duration.days(2) })).toThrow(/existing bucket or offloadExpiration/);
  const spill = new SpillBucket(stack, 'Spill', { bucket, offloadPrefix: 'handover/' });
  spill.grantOffloadRead(placeholderRole(stack, 'R'));
  Annotations.fromStack(stack).hasWarning('/Existing/Spill', Match.stringLikeRegexp('expires objects under "handover/"'));
  expect(spill.offloadPrefix).toBe('handover/');
});

test('connectOffload refuses neither read nor write', () => {
  const { spill, producer } = offloadStack({}, false);
  expect(() => spill.connectOffload(producer, { read: false, write: false })).toThrow(TypeError);
});

test('OFFLOAD_DEFAULTS agree with the @default of each offload prop in the TSDoc', () => {
  const tags = documentedDefaults('cdk/offload-props.ts');
  expect([...tags.keys()].sort()).toEqual(Object.keys(OFFLOAD_DEFAULTS).sort());
  expect(tags.get('offloadPrefix')).toBe(`'${OFFLOAD_DEFAULTS.offloadPrefix}'`);
  expect(tags.get('offloadExpiration')).toBe(`Duration.days(${OFFLOAD_DEFAULTS.offloadExpiration.toDays()})`);
});
