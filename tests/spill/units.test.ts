import { SpillConfigurationError } from '../../src/errors/base.js';
import { detailOf } from '../support/errors.js';
import { bucketNameProblem } from '../../src/s3/bucket-name.js';
import { checkObjectOptions, objectParamsFor } from '../../src/spill/object-options.js';
import { wantsReference } from '../../src/http/reference.js';
import { requestHeader } from '../../src/http/events.js';
import { context } from '../support/events.js';

const request = { event: { headers: { 'x-tenant': 'acme' } }, context, response: undefined };

describe('bucketNameProblem', () => {
  it.each(['my-spill-bucket', 'abc', 'a.b-c', 'x'.repeat(63), 'arn:aws:s3:us-east-1:123456789012:accesspoint/spill', 'spill--usw2-az1--x-s3'])('accepts %s', (name) => {
    expect(bucketNameProblem(name)).toBeUndefined();
  });
  it.each(['ab', 'x'.repeat(64), 'My_Bucket', '-abc', 'abc-', 'a..b', '192.168.1.1', 'xn--abc', 'abc-s3alias', 'a b', 'arn:aws:iam::1:role/x', 7])(
    'rejects %s',
    (name) => {
      expect(bucketNameProblem(name)).toEqual(expect.any(String));
    },
  );
});

describe('wantsReference', () => {
  const accept = (value: string) => ({ headers: { Accept: value } });
  it.each([
    ['application/vnd.lambda-s3-spill.reference+json', true],
    ['text/html, Application/Vnd.Lambda-S3-Spill.Reference+JSON;q=0.5', true],
    ['application/vnd.lambda-s3-spill.reference+json;q=0', false],
    ['*/*', false],
    ['application/json', false],
  ])('Accept: %s -> %s', (value, expected) => {
    expect(wantsReference(accept(value))).toBe(expected);
  });
  it('reads multiValueHeaders (REST v1) and is false without an Accept', () => {
    expect(wantsReference({ multiValueHeaders: { accept: ['application/vnd.lambda-s3-spill.reference+json'] } })).toBe(true);
    expect(wantsReference({ headers: {} })).toBe(false);
    expect(requestHeader(null, 'accept')).toBeUndefined();
  });
});

describe('object options', () => {
  it('maps encryption, storage class, metadata, tags and disposition to PutObject parameters', () => {
    const { params, contentDisposition } = objectParamsFor(
      {
        serverSideEncryption: 'aws:kms',
        sseKmsKeyId: 'alias/spill',
        bucketKeyEnabled: true,
        storageClass: 'STANDARD_IA',
        metadata: (r) => ({ tenant: (r.event as { headers: Record<string, string> }).headers['x-tenant'] }),
        tags: { purpose: 'spill', 'a b': 'c&d' },
        contentDisposition: 'attachment; filename="r.csv"',
      },
      { Metadata: { app: 'demo' } },
      request,
    );
    expect(params).toEqual({
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: 'alias/spill',
      BucketKeyEnabled: true,
      StorageClass: 'STANDARD_IA',
      Metadata: { app: 'demo', tenant: 'acme' },
      Tagging: 'purpose=spill&a+b=c%26d',
    });
    expect(contentDisposition).toBe('attachment; filename="r.csv"');
  });

  it.each([
    [{ sseKmsKeyId: 'k' }, /sseKmsKeyId needs/],
    [{ serverSideEncryption: 5 }, /serverSideEncryption/],
    [{ bucketKeyEnabled: 'yes' }, /bucketKeyEnabled/],
    [{ metadata: { a: 1 } }, /metadata must be an object of strings \('a' is not\)/],
    [{ metadata: { big: 'x'.repeat(3000) } }, /2048/],
    [{ metadata: { 'é': 'v' } }, /ASCII/],
    [{ tags: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) }, /at most 10/],
    [{ contentDisposition: 3 }, /contentDisposition/],
  ])('rejects %j at creation', (options, message) => {
    expect(() => checkObjectOptions(options as never)).toThrow(message);
  });

  it('checks what a per-request function returns', () => {
    let thrown: unknown;
    try {
      objectParamsFor({ tags: () => ({ n: 1 as unknown as string }) }, {}, request);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SpillConfigurationError);
    expect(detailOf(thrown)).toMatch(/tags function must return an object of strings .*'n' is not/);
  });
});
