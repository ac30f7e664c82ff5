import { App, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ACCESS_LOGS_REASON, PREFIX_WILDCARD_REASON } from 'lambda-s3-spill/cdk';
import { addSpillStack, existingBucket, synthWithNag } from './helpers/stacks.js';

// The test function's role uses AWSLambdaBasicExecutionRole: that finding is the
// test stack's, not the construct's, so it is acknowledged here.
const BASIC_EXECUTION_ROLE =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

function withFunctionAcknowledged(built: ReturnType<typeof addSpillStack>) {
  Validations.of(built.fn).acknowledge({
    id: BASIC_EXECUTION_ROLE,
    reason: 'Test function: the AWS managed policy only lets it write its own CloudWatch Logs.',
  });
  return built;
}

describe('cdk-nag AwsSolutions', () => {
  test('runs: an unprotected plain bucket has findings', () => {
    const findings = synthWithNag((app) => {
      const built = withFunctionAcknowledged(addSpillStack(app));
      new s3.Bucket(built.stack, 'Plain');
    });
    expect(findings).toEqual(
      expect.arrayContaining(['AwsSolutions-S1 at Test/Plain/Resource', 'AwsSolutions-S10 at Test/Plain/Resource']),
    );
    expect(findings.filter((f) => f.includes('/Spill/') || f.includes('/Fn/'))).toEqual([]);
  });

  test('reports the test function\'s managed policy unless acknowledged, so acknowledgements are what clears it', () => {
    expect(synthWithNag((app) => void addSpillStack(app))).toEqual([`${BASIC_EXECUTION_ROLE} at Test/Fn/ServiceRole/Resource`]);
  });

  test('acknowledges only the spill grant\'s own wildcard: a wider grant on the same function is still reported', () => {
    const findings = synthWithNag((app) => {
      const built = withFunctionAcknowledged(addSpillStack(app));
      built.spill.bucket.grantRead(built.fn);
    });
    expect(findings).toEqual(
      expect.arrayContaining([
        'AwsSolutions-IAM5[Action::s3:GetObject*] at Test/Fn/ServiceRole/DefaultPolicy/Resource',
        expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<SpillBucket\w+\.Arn>\/\*\] at /),
      ]),
    );
  });

  test('finds nothing unacknowledged with the defaults', () => {
    expect(synthWithNag((app) => void withFunctionAcknowledged(addSpillStack(app)))).toEqual([]);
  });

  test('finds nothing unacknowledged with KMS, CORS, a prefix and DESTROY', () => {
    const findings = synthWithNag((app) => {
      withFunctionAcknowledged(
        addSpillStack(app, {
          encryption: s3.BucketEncryption.KMS,
          corsAllowedOrigins: ['*'],
          prefix: 'large/',
          removalPolicy: RemovalPolicy.DESTROY,
        }),
      );
    });
    expect(findings).toEqual([]);
  });

  test('finds nothing unacknowledged with an existing bucket (its grant\'s wildcard is acknowledged by its literal ARN)', () => {
    const findings = synthWithNag((app) => {
      withFunctionAcknowledged(
        addSpillStack(app, { prefix: 'api/spill/' }, (stack) => ({
          bucket: existingBucket(stack),
        })),
      );
    });
    expect(findings).toEqual([]);
  });

  test('finds nothing unacknowledged with access logs, and S1 is then not acknowledged on the spill bucket', () => {
    const findings = synthWithNag((app) => {
      withFunctionAcknowledged(
        addSpillStack(app, undefined, (stack) => {
          const logs = new s3.Bucket(stack, 'Logs', {
            blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
            enforceSSL: true,
          });
          Validations.of(logs).acknowledge({
            id: 'AwsSolutions-S1',
            reason: 'Test: this is the access log bucket; logging it into itself would loop.',
          });
          return { serverAccessLogsBucket: logs, serverAccessLogsPrefix: 'spill/' };
        }),
      );
    });
    expect(findings).toEqual([]);
  });

  test('every acknowledgement the construct makes carries its written reason', () => {
    const built = addSpillStack(new App());
    const reasons = built.app.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.values(m.data as Record<string, string>));
    expect(reasons.sort()).toEqual([ACCESS_LOGS_REASON, PREFIX_WILDCARD_REASON].sort());
  });
});
