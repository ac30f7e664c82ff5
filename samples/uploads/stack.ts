/** A forms function and an API function sharing one SpillBucket with an uploads prefix. */
import { fileURLToPath } from 'node:url';
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import { SpillBucket } from 'lambda-s3-spill/cdk';

export class UploadsSampleStack extends Stack {
  public constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const spill = new SpillBucket(this, 'Spill', {
      uploads: { corsAllowedOrigins: ['https://app.example.com'], expiration: Duration.days(1) },
    });
    const fn = (name: string, entry: string) =>
      new nodejs.NodejsFunction(this, name, {
        entry: fileURLToPath(new URL(entry, import.meta.url)),
        runtime: lambda.Runtime.NODEJS_24_X,
        timeout: Duration.seconds(30),
        environment: { S3_SPILL_BUCKET: spill.bucket.bucketName, S3_SPILL_UPLOAD_PREFIX: spill.uploadsPrefix! },
      });
    spill.grantUploadForms(fn('Forms', 'forms-handler.ts')); // s3:PutObject on uploads/*
    const api = fn('Photos', 'api-handler.ts');
    spill.grantUploadRead(api, { deleteAfter: true }); // s3:GetObject, s3:DeleteObject on uploads/*
    spill.grantUploadKeep(api, { prefix: 'photos/' }); // s3:GetObject on uploads/*, s3:PutObject on photos/*
    spill.connect(api); // its large answers spill too
  }
}
