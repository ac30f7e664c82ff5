import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { SpillBucket } from 'lambda-s3-spill/cdk';

/**
 * A state machine of two functions: the first returns a status and about 1 MB
 * of rows, the second receives them whole. Between them travels the status
 * and, in place of the rows, a reference of about 300 bytes; a `Choice` state
 * branches on the status. And a durable function whose 2 MB step result is
 * stored by `s3Serdes` under the durable prefix.
 */
export class OffloadSampleStack extends Stack {
  public readonly stateMachine: sfn.StateMachine;

  public constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const entry = fileURLToPath(new URL('offload-handlers.ts', import.meta.url));
    const settings = { entry, runtime: lambda.Runtime.NODEJS_24_X, memorySize: 1024, timeout: Duration.seconds(30) };
    const first = new nodejs.NodejsFunction(this, 'Produce', { ...settings, handler: 'produce' });
    const second = new nodejs.NodejsFunction(this, 'Consume', { ...settings, handler: 'consume' });

    // A durable function whose step results may be larger than a checkpoint: s3Serdes stores them under durable/.
    const workflow = new nodejs.NodejsFunction(this, 'ReportWorkflow', {
      ...settings,
      entry: fileURLToPath(new URL('../durable/report-workflow.ts', import.meta.url)),
      handler: 'handler',
      durableConfig: { executionTimeout: Duration.days(7) },
    });

    // One bucket, its offload lifecycle rule and the grants: the first writes, the second reads (and may write).
    const spill = new SpillBucket(this, 'Spill');
    spill.connectOffload(first, { read: false });
    spill.connectOffload(second);
    // The durable prefix's lifecycle rule (366 days: as long as an execution may last), its grant and environment.
    spill.connectDurable(workflow);

    // A failed store is typed: retry it like a throttle.
    const retry = { errors: ['OffloadStoreError', 'OffloadTimeoutError'], maxAttempts: 2, interval: Duration.seconds(1) };
    // The rows travel as a reference (paths: ['$.items']); the control field stays inline for the Choice.
    const summarize = new tasks.LambdaInvoke(this, 'Summarize it', { lambdaFunction: second, payloadResponseOnly: true }).addRetry(retry);
    const definition = new tasks.LambdaInvoke(this, 'Make the report', { lambdaFunction: first, payloadResponseOnly: true })
      .addRetry(retry)
      .next(
        new sfn.Choice(this, 'Anything to summarize?')
          .when(sfn.Condition.stringEquals('$.status', 'EMPTY'), new sfn.Succeed(this, 'Nothing to summarize'))
          .otherwise(summarize),
      );

    this.stateMachine = new sfn.StateMachine(this, 'Pipeline', {
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      tracingEnabled: true,
      logs: {
        destination: new logs.LogGroup(this, 'PipelineLogs', { retention: logs.RetentionDays.ONE_WEEK, removalPolicy: RemovalPolicy.DESTROY }),
        level: sfn.LogLevel.ALL,
        includeExecutionData: false,
      },
    });

    for (const fn of [first, second]) {
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "AWSLambdaBasicExecutionRole allows only writing the function's own CloudWatch Logs; a copy as a customer managed policy would be the same statements.",
      });
    }
    Validations.of(workflow).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicDurableExecutionRolePolicy]',
      reason:
        "AWSLambdaBasicDurableExecutionRolePolicy allows writing the function's own logs and checkpointing its own durable executions (lambda:CheckpointDurableExecution, GetDurableExecutionState); CDK attaches it to every durable function.",
    });
    for (const fn of [first, second]) {
      Validations.of(this.stateMachine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(fn.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`,
        reason: 'LambdaInvoke grants lambda:InvokeFunction on the function and its versions and aliases (<arn>:*); the function is named exactly.',
      });
    }
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Step Functions log delivery (logs:CreateLogDelivery, PutResourcePolicy, DescribeLogGroups, ...) and X-Ray (PutTraceSegments) take no resource-level permissions; AWS documents Resource "*" for them.',
    });
  }
}
