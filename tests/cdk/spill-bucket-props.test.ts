import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SpillBucket, type SpillBucketProps } from 'lambda-s3-spill/cdk';
import { existingBucket, expectPropsError } from './helpers/stacks.js';

function build(props: (stack: Stack) => SpillBucketProps): SpillBucket {
  const stack = new Stack(new App(), 'Props');
  return new SpillBucket(stack, 'Spill', props(stack));
}

describe('SpillBucket props', () => {
  test.each<[string, (stack: Stack) => SpillBucketProps]>([
    ['expiration', (stack) => ({ bucket: existingBucket(stack), expiration: Duration.days(2) })],
    ['encryption', (stack) => ({ bucket: existingBucket(stack), encryption: s3.BucketEncryption.KMS })],
    ['corsAllowedOrigins', (stack) => ({ bucket: existingBucket(stack), corsAllowedOrigins: ['*'] })],
    ['corsAllowedHeaders', (stack) => ({ bucket: existingBucket(stack), corsAllowedHeaders: ['x-api-key'] })],
    ['removalPolicy', (stack) => ({ bucket: existingBucket(stack), removalPolicy: RemovalPolicy.DESTROY })],
    ['serverAccessLogsBucket', (stack) => ({ bucket: existingBucket(stack), serverAccessLogsBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'logs') })],
  ])('refuse an existing bucket together with %s', (name, props) => {
    expectPropsError(() => build(props), new RegExp(`existing bucket or ${name}`));
  });

  test('accept an existing bucket with a prefix', () => {
    const spill = build((stack) => ({ bucket: existingBucket(stack), prefix: 'api/' }));
    expect(spill.bucket.bucketName).toBe('team-spill-bucket');
    expect(spill.prefix).toBe('api/');
  });

  test.each([
    ['', /must not be empty/],
    ['/spill/', /must not start with "\/"/],
    ['a/../b/', /"\.\." segment/],
    ['spill*/', /"\*", "\?" or "\$\{"/],
    ['spill?/', /"\*", "\?" or "\$\{"/],
    ['${aws:username}/', /"\*", "\?" or "\$\{"/],
  ])('refuse the prefix %j', (prefix, message) => {
    expect(() => build(() => ({ prefix }))).toThrow(message);
  });

  test.each([Duration.hours(36), Duration.hours(12), Duration.days(0)])('refuse an expiration of %s', (expiration) => {
    expect(() => build(() => ({ expiration }))).toThrow(/whole days, at least one/);
  });

  test('accept whole days given in other units', () => {
    expect(() => build(() => ({ expiration: Duration.hours(48) }))).not.toThrow();
  });

  test('refuse an unencrypted bucket', () => {
    expect(() => build(() => ({ encryption: s3.BucketEncryption.UNENCRYPTED }))).toThrow(/UNENCRYPTED/);
  });

  test('refuse an access log prefix without a log bucket', () => {
    expect(() => build(() => ({ serverAccessLogsPrefix: 'logs/' }))).toThrow(/needs serverAccessLogsBucket/);
  });

  test.each([undefined, []])('refuse corsAllowedHeaders without a CORS rule (corsAllowedOrigins %j)', (corsAllowedOrigins) => {
    expect(() => build(() => ({ corsAllowedOrigins, corsAllowedHeaders: ['x-api-key'] }))).toThrow(
      /corsAllowedHeaders needs corsAllowedOrigins/,
    );
  });

  test('refuse an empty corsAllowedHeaders (every preflight asking for a header would be refused)', () => {
    expect(() => build(() => ({ corsAllowedOrigins: ['null'], corsAllowedHeaders: [] }))).toThrow(
      /corsAllowedHeaders must not be empty/,
    );
  });

  test.each(['', 'x api-key', 'x-api-key:', 'x-\u00e9', 'x-*-*', 'x-api-key\r\nSet-Cookie'])(
    'refuse the allowed header %j (a header name, with at most one "*")',
    (header) => {
      const props = { corsAllowedOrigins: ['null'], corsAllowedHeaders: ['x-api-key', header] };
      expectPropsError(() => build(() => props), `corsAllowedHeaders: ${JSON.stringify(header)} is not`);
    },
  );

  test.each<[string[]]>([[['*']], [['x-amz-*']], [['X-Api-Key', 'content-type', 'traceparent']]])(
    'accept the allowed headers %j',
    (corsAllowedHeaders) => {
      expect(() => build(() => ({ corsAllowedOrigins: ['null'], corsAllowedHeaders }))).not.toThrow();
    },
  );

  test('errors are named', () => {
    expect(() => build(() => ({ prefix: '' }))).toThrow(expect.objectContaining({ name: 'SpillBucketPropsError' }));
  });
});
