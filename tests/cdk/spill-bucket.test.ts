import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { existingBucket, placeholderRole, spillStack } from './helpers/stacks.js';

/** Every statement of every identity policy in the template. */
function identityStatements(template: Template): Record<string, any>[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement,
  );
}

/** Rule ids acknowledged on a construct itself (not inherited). */
function acknowledged(construct: IConstruct): Record<string, string> {
  return Object.assign(
    {},
    ...construct.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .map((m) => m.data as Record<string, string>),
  );
}

const objectsArn = (bucketId: string, pattern: string) => ({
  'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/${pattern}`]],
});

describe('SpillBucket with its defaults', () => {
  const built = spillStack();
  const template = Template.fromStack(built.stack);
  const bucketId = built.stack.getLogicalId(built.spill.bucket.node.defaultChild as s3.CfnBucket);

  test('blocks all public access', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
  });

  test('denies every request that is not TLS, on the bucket and its objects', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Resource: [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, objectsArn(bucketId, '*')],
          },
        ]),
      },
    });
  });

  test('encrypts with S3-managed keys, keeps no versions, disables ACLs', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: Match.absent(),
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  test('expires objects under spill/ after one day and aborts unfinished multipart uploads after one day', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          {
            Id: 'ExpireSpilledObjects',
            Status: 'Enabled',
            Prefix: 'spill/',
            ExpirationInDays: 1,
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
        ],
      },
    });
  });

  test('has no CORS rule and no access logs, and is retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: { CorsConfiguration: Match.absent(), LoggingConfiguration: Match.absent() },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('grants put, abort and get on spill/* and nothing else', () => {
    expect(identityStatements(template)).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:GetObject'],
        Resource: objectsArn(bucketId, 'spill/*'),
      },
    ]);
    expect(built.grant.success).toBe(true);
  });

  test('gives the function the bucket name and prefix the middleware reads', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { S3_SPILL_BUCKET: { Ref: bucketId }, S3_SPILL_PREFIX: 'spill/' } },
    });
    expect(built.spill.prefix).toBe('spill/');
  });

  test('creates exactly one bucket and no KMS key', () => {
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.resourceCountIs('AWS::KMS::Key', 0);
    expect(built.spill.encryptionKey).toBeUndefined();
  });

  test('acknowledges AwsSolutions-S1 on the bucket and only its own IAM5 finding on the grantee, with reasons', () => {
    expect(Object.keys(acknowledged(built.spill.bucket))).toEqual(['Annotation::AwsSolutions-S1']);
    const onFunction = acknowledged(built.fn);
    expect(Object.keys(onFunction)).toEqual([`Annotation::AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/spill/*]`]);
    for (const reason of [...Object.values(onFunction), ...Object.values(acknowledged(built.spill.bucket))]) {
      expect(reason.length).toBeGreaterThan(80);
    }
  });
});

describe('SpillBucket with props', () => {
  const built = spillStack({
    expiration: Duration.days(3),
    prefix: 'large/',
    corsAllowedOrigins: ['https://app.example.com', 'null'],
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const template = Template.fromStack(built.stack);
  const bucketId = built.stack.getLogicalId(built.spill.bucket.node.defaultChild as s3.CfnBucket);

  test('expires under the given prefix after the given days', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [Match.objectLike({ Prefix: 'large/', ExpirationInDays: 3, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } })],
      },
    });
  });

  test('allows GET and HEAD from the given origins, with any request header', () => {
    const [bucket] = Object.values(template.findResources('AWS::S3::Bucket'));
    expect(bucket.Properties.CorsConfiguration).toEqual({
      CorsRules: [
        {
          AllowedHeaders: ['*'],
          AllowedMethods: ['GET', 'HEAD'],
          AllowedOrigins: ['https://app.example.com', 'null'],
          ExposedHeaders: ['Content-Disposition'],
        },
      ],
    });
  });

  test('allows only the given corsAllowedHeaders when given', () => {
    const narrowed = spillStack({ corsAllowedOrigins: ['null'], corsAllowedHeaders: ['x-api-key', 'Content-Type'] });
    Template.fromStack(narrowed.stack).hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedOrigins: ['null'], AllowedHeaders: ['x-api-key', 'Content-Type'] })] },
    });
  });

  test('scopes the grant and the environment to the given prefix', () => {
    expect(identityStatements(template)).toEqual([expect.objectContaining({ Resource: objectsArn(bucketId, 'large/*') })]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ S3_SPILL_PREFIX: 'large/' }) },
    });
  });

  test('applies the removal policy', () => {
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });
});

describe('SpillBucket with KMS', () => {
  const created = spillStack({ encryption: s3.BucketEncryption.KMS });
  const template = Template.fromStack(created.stack);
  const keyId = created.stack.getLogicalId(created.spill.encryptionKey!.node.defaultChild as kms.CfnKey);

  test('creates a key with rotation and uses it with an S3 Bucket Key', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } },
          },
        ],
      },
    });
  });

  test('grants GenerateDataKey and Decrypt on that key only, besides the S3 actions', () => {
    const statements = identityStatements(template);
    expect(statements).toHaveLength(2);
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
  });

  test('uses a given key, implying KMS', () => {
    const given = spillStack(undefined, (stack) => ({
      encryptionKey: kms.Key.fromKeyArn(stack, 'Given', 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
    }));
    const t = Template.fromStack(given.stack);
    t.resourceCountIs('AWS::KMS::Key', 0);
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) }),
        ],
      },
    });
    expect(identityStatements(t)).toContainEqual({
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
  });

  test('with the AWS managed key, needs no key grant', () => {
    const managed = spillStack({ encryption: s3.BucketEncryption.KMS_MANAGED });
    const t = Template.fromStack(managed.stack);
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
      },
    });
    expect(identityStatements(t).flatMap((s) => s.Action)).not.toContainEqual(expect.stringMatching(/^kms:/));
  });
});

describe('SpillBucket with an existing bucket', () => {
  const built = spillStack(undefined, (stack) => ({
    bucket: existingBucket(stack),
    prefix: 'api/spill/',
  }));
  const template = Template.fromStack(built.stack);

  test('creates no bucket, grants on the prefix of the given one, and warns that its settings are the owner\'s', () => {
    template.resourceCountIs('AWS::S3::Bucket', 0);
    expect(identityStatements(template)).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:GetObject'],
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::team-spill-bucket/api/spill/*']] },
      },
    ]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { S3_SPILL_BUCKET: 'team-spill-bucket', S3_SPILL_PREFIX: 'api/spill/' } },
    });
    Annotations.fromStack(built.stack).hasWarning('/Test/Spill', Match.stringLikeRegexp('existing bucket'));
  });

  test('grants on the key of a bucket imported with one', () => {
    const keyArn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const withKey = spillStack(undefined, (stack) => ({
      bucket: s3.Bucket.fromBucketAttributes(stack, 'Existing', {
        bucketName: 'team-spill-bucket',
        encryptionKey: kms.Key.fromKeyArn(stack, 'Key', keyArn),
      }),
    }));
    expect(identityStatements(Template.fromStack(withKey.stack))).toContainEqual({
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: keyArn,
    });
  });
});

describe('SpillBucket server access logs', () => {
  const built = spillStack(undefined, (stack) => ({
    serverAccessLogsBucket: new s3.Bucket(stack, 'Logs'),
    serverAccessLogsPrefix: 'spill-bucket/',
  }));
  const template = Template.fromStack(built.stack);

  test('are delivered to the given bucket, and AwsSolutions-S1 is then not acknowledged', () => {
    const logsId = built.stack.getLogicalId(built.stack.node.findChild('Logs').node.defaultChild as s3.CfnBucket);
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: { Ref: logsId }, LogFilePrefix: 'spill-bucket/' },
    });
    expect(acknowledged(built.spill.bucket)).toEqual({});
  });
});

describe('grantSpill', () => {
  test('works for any grantee and returns the grant', () => {
    const built = spillStack();
    const role = placeholderRole(built.stack, 'Reader');
    const grant = built.spill.grantSpill(role);
    expect(grant).toBeInstanceOf(iam.Grant);
    expect(grant.principalStatements.flatMap((s) => s.actions)).toEqual(['s3:PutObject', 's3:AbortMultipartUpload', 's3:GetObject']);
    const template = Template.fromStack(built.stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: built.stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }],
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:GetObject'] })] },
    });
    // The grant must never widen to the bucket or to every action.
    for (const statement of identityStatements(template)) {
      expect(statement.Action).not.toContain('s3:*');
      expect(JSON.stringify(statement.Resource)).toMatch(/\/spill\/\*"\]\]\}$/);
    }
  });
});
