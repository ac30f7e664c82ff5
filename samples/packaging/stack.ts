// A NodejsFunction as an ESM bundle with the AWS SDK left to the Lambda runtime (NodejsFunction's default on
// Node 18 and later: `@aws-sdk/*` external). lambda-s3-spill reaches every SDK package by a dynamic import() on
// first use, so a function whose responses fit loads none of it.
import { Stack, type StackProps } from 'aws-cdk-lib';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';

export class PackagingStack extends Stack {
  public constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    new NodejsFunction(this, 'Api', {
      entry: 'samples/cdk/handler.ts',
      runtime: Runtime.NODEJS_22_X,
      bundling: {
        format: OutputFormat.ESM,
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        // The default, said out loud. `bundleAwsSDK: true` instead puts the whole SDK in the bundle (one pinned version).
        externalModules: ['@aws-sdk/*'],
      },
    });
  }
}
