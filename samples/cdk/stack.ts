import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import { SpillBucket } from 'lambda-s3-spill/cdk';

/** A function whose oversized responses spill to S3, behind a Function URL. */
export class SpillSampleStack extends Stack {
  public constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const fn = new nodejs.NodejsFunction(this, 'Report', {
      entry: fileURLToPath(new URL('handler.ts', import.meta.url)),
      runtime: lambda.Runtime.NODEJS_24_X,
      memorySize: 1024,
      timeout: Duration.seconds(30),
    });

    // The bucket, its lifecycle and the grant, in one line.
    new SpillBucket(this, 'Spill').connect(fn);

    // AWS_IAM: callers sign with SigV4. NONE would make the URL public.
    const url = fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    new CfnOutput(this, 'ReportUrl', { value: url.url });

    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'AWSLambdaBasicExecutionRole allows only writing the function\'s own CloudWatch Logs; a copy as a customer managed policy would be the same statements.',
    });
  }
}
