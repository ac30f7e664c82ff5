/**
 * SpillBucket's durable-function side (s3Serdes): the durable prefix's own
 * lifecycle rule (a year and a day by default), the grant, the environment,
 * the props; and the offload read grant with s3:DeleteObject when asked.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DURABLE_DEFAULTS, DURABLE_S3_ACTIONS, SpillBucket, type SpillBucketProps } from 'lambda-s3-spill/cdk';
import { documentedDefaults } from '../support/tsdoc.js';
import { existingBucket, expectPropsError, placeholderFunction, placeholderRole, synthWithNag } from './helpers/stacks.js';

function durableStack(props: SpillBucketProps = {}, wire = true) {
  const stack = new Stack(new App(), 'Durable');
  const workflow = placeholderFunction(stack, 'Workflow', { durableConfig: { executionTimeout: Duration.days(30) } });
  const spill = new SpillBucket(stack, 'Spill', props);
  if (wire) spill.connectDurable(workflow);
  return { stack, spill, workflow, template: () => Template.fromStack(stack) };
}

const policyStatements = (template: Template) =>
  Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
  );

test('a stack without durable functions has no durable rule', () => {
  const rules = durableStack({}, false).template().findResources('AWS::S3::Bucket');
  expect(JSON.stringify(rules)).not.toContain('ExpireDurableObjects');
});

test('wired: durable/ has its own lifecycle rule, 366 days by default (the longest execution)', () => {
  durableStack().template().hasResourceProperties('AWS::S3::Bucket', {
    LifecycleConfiguration: {
      Rules: Match.arrayWith([
        { Id: 'ExpireDurableObjects', Status: 'Enabled', Prefix: 'durable/', ExpirationInDays: 366, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
      ]),
    },
  });
  expect(DURABLE_DEFAULTS.durableExpiration.toSeconds()).toBeGreaterThanOrEqual(31_622_400); // DurableConfig.executionTimeout's maximum
  durableStack({ durablePrefix: 'workflows/', durableExpiration: Duration.days(40) }).template().hasResourceProperties('AWS::S3::Bucket', {
    LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'ExpireDurableObjects', Prefix: 'workflows/', ExpirationInDays: 40 })]) },
  });
});

test('the function may write and read under durable/ only (and the key with SSE-KMS); environment set', () => {
  const { template } = durableStack({ encryption: s3.BucketEncryption.KMS });
  const t = template();
  const statements = policyStatements(t);
  const s3Statement = statements.find((s) => JSON.stringify(s.Resource).includes('durable/'))!;
  expect([s3Statement.Action].flat().sort()).toEqual([...DURABLE_S3_ACTIONS].sort());
  expect(JSON.stringify(s3Statement.Resource)).toMatch(/\/durable\/\*"/);
  expect(statements.flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith('kms:')).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  expect(statements.filter((s) => !JSON.stringify(s.Resource).includes('durable/') && [s.Action].flat().some((a) => a.startsWith('s3:')))).toEqual([]);
  t.hasResourceProperties('AWS::Lambda::Function', {
    Environment: { Variables: { S3_SPILL_BUCKET: { Ref: Match.anyValue() }, S3_DURABLE_PREFIX: 'durable/' } },
  });
});

test('grantOffloadRead adds s3:DeleteObject only when asked; connectOffload passes deleteAfterUse on', () => {
  const { stack, spill, template } = durableStack({}, false);
  const plain = placeholderRole(stack, 'Plain');
  const deleting = placeholderRole(stack, 'Deleting');
  spill.grantOffloadRead(plain).assertSuccess();
  spill.grantOffloadRead(deleting, { deleteAfterUse: true }).assertSuccess();
  const fn = placeholderFunction(stack, 'Consumer');
  expect(() => spill.connectOffload(fn, { read: false, deleteAfterUse: true })).toThrow(/deleteAfterUse needs read/);
  spill.connectOffload(fn, { deleteAfterUse: true });
  const t = template();
  const byRole = (role: iam.IRole) =>
    Object.values(t.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(stack.getLogicalId(role.node.defaultChild as iam.CfnRole)))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[] }[])
      .flatMap((s) => [s.Action].flat());
  expect(byRole(plain)).toEqual(['s3:GetObject']);
  expect(byRole(deleting).sort()).toEqual(['s3:DeleteObject', 's3:GetObject']);
  expect(byRole(fn.role!)).toEqual(expect.arrayContaining(['s3:DeleteObject', 's3:GetObject']));
});

test('cdk-nag: the durable grant is acknowledged exactly, with its reason; nothing else is found', () => {
  const findings = synthWithNag((app) => {
    const stack = new Stack(app, 'Nag');
    const fn = placeholderFunction(stack, 'Fn', { durableConfig: { executionTimeout: Duration.days(1) } });
    const spill = new SpillBucket(stack, 'Spill', { encryption: s3.BucketEncryption.KMS });
    spill.connectDurable(fn);
    spill.connectOffload(fn, { deleteAfterUse: true });
  });
  expect(findings.filter((f) => !f.includes('AwsSolutions-IAM4'))).toEqual([]);
});

test.each<[SpillBucketProps, RegExp]>([
  [{ durablePrefix: '' }, /durablePrefix must not be empty/],
  [{ durablePrefix: '/durable/' }, /durablePrefix must not start with "\/"/],
  [{ durablePrefix: 'dur*/' }, /durablePrefix must not contain "\*"/],
  [{ durablePrefix: 'spill/durable/' }, /prefix \("spill\/"\) and durablePrefix \("spill\/durable\/"\) must not overlap/],
  [{ durablePrefix: 'offload/' }, /offloadPrefix \("offload\/"\) and durablePrefix \("offload\/"\) must not overlap/],
  [{ durableExpiration: Duration.hours(12) }, /durableExpiration must be whole days/],
])('refuses %p', (props, message) => {
  expectPropsError(() => durableStack(props, false), message);
});

test('an existing bucket: a warning asks to keep durable/ as long as an execution lasts; durableExpiration is refused', () => {
  const stack = new Stack(new App(), 'Existing');
  const bucket = existingBucket(stack);
  expect(() => new SpillBucket(stack, 'Bad', { bucket, durableExpiration: Duration.days(2) })).toThrow(/existing bucket or durableExpiration/);
  const spill = new SpillBucket(stack, 'Spill', { bucket });
  spill.grantDurable(placeholderRole(stack, 'R'));
  Annotations.fromStack(stack).hasWarning('/Existing/Spill', Match.stringLikeRegexp('keeps objects under "durable/"'));
});

test('DURABLE_DEFAULTS agree with the @default of each durable prop in the TSDoc', () => {
  const tags = documentedDefaults('cdk/durable-props.ts');
  expect([...tags.keys()].sort()).toEqual(Object.keys(DURABLE_DEFAULTS).sort());
  expect(tags.get('durablePrefix')).toBe(`'${DURABLE_DEFAULTS.durablePrefix}'`);
  expect(tags.get('durableExpiration')).toBe(`Duration.days(${DURABLE_DEFAULTS.durableExpiration.toDays()})`);
});
