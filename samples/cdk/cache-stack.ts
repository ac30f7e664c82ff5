import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import { SpillBucket } from 'lambda-s3-spill/cdk';

/** A function whose responses are cached in S3 and spill when too large, behind a Function URL. */
export class CacheSampleStack extends Stack {
  public constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const fn = new nodejs.NodejsFunction(this, 'Cities', {
      entry: fileURLToPath(new URL('cache-handler.ts', import.meta.url)),
      runtime: lambda.Runtime.NODEJS_24_X,
      memorySize: 1024,
      timeout: Duration.seconds(30),
    });

    // One bucket: the spill prefix and the cache prefix, each with its lifecycle rule and grant.
    // The cache's rule must outlive the longest freshness (here s-maxage=300) plus the URL lifetime.
    const spill = new SpillBucket(this, 'Spill', { cache: { expiration: Duration.days(2) } });
    spill.connect(fn);
    spill.connectCache(fn);

    // AWS_IAM: callers sign with SigV4. NONE would make the URL public.
    const url = fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    new CfnOutput(this, 'CitiesUrl', { value: url.url });

    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'AWSLambdaBasicExecutionRole allows only writing the function\'s own CloudWatch Logs; a copy as a customer managed policy would be the same statements.',
    });
  }
}
