/**
 * The CORS rule `SpillBucket` synthesizes, loaded into a local S3 (s3rver 3.7)
 * and asked the preflight a browser sends before the redirected GET when the
 * API call carried a header that is not CORS-safelisted (`x-api-key`,
 * `Content-Type: application/json`). S3 refuses such a preflight with 403
 * unless every requested header matches an `AllowedHeader` of the rule (Amazon
 * S3 User Guide, "How does Amazon S3 evaluate the CORS configuration on a
 * bucket?"); s3rver applies the same rule. s3rver's answer headers differ from
 * S3's (it sends `Access-Control-Allow-Origin: *` on every preflight), so only
 * the status and the allowed headers are asserted here.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { SpillBucketProps } from 'lambda-s3-spill/cdk';
import S3rver from 's3rver';
import { spillStack } from './helpers/stacks.js';

type CfnCorsRule = {
  AllowedHeaders?: string[];
  AllowedMethods: string[];
  AllowedOrigins: string[];
  ExposedHeaders?: string[];
  MaxAge?: number;
};

/** The CORS rules of the one bucket `SpillBucket` synthesizes with `props`. */
function synthesizedCorsRules(props: SpillBucketProps): CfnCorsRule[] {
  const buckets = Object.values(Template.fromStack(spillStack(props).stack).findResources('AWS::S3::Bucket'));
  expect(buckets).toHaveLength(1);
  return buckets[0].Properties.CorsConfiguration.CorsRules;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The same rules as the S3 API's `CORSConfiguration` XML (CloudFormation names them differently). */
function corsXml(rules: CfnCorsRule[]): string {
  const element = (name: string, values: readonly (string | number)[] = []) =>
    values.map((value) => `<${name}>${escapeXml(String(value))}</${name}>`).join('');
  const body = rules
    .map(
      (rule) =>
        '<CORSRule>' +
        element('AllowedOrigin', rule.AllowedOrigins) +
        element('AllowedMethod', rule.AllowedMethods) +
        element('AllowedHeader', rule.AllowedHeaders) +
        element('ExposeHeader', rule.ExposedHeaders) +
        element('MaxAgeSeconds', rule.MaxAge === undefined ? [] : [rule.MaxAge]) +
        '</CORSRule>',
    )
    .join('');
  return `<CORSConfiguration>${body}</CORSConfiguration>`;
}

type Server = { run(): Promise<AddressInfo>; close(): Promise<void> };

/** A local S3 whose one bucket has the CORS rules `SpillBucket` synthesizes with `props`. */
function bucketWithCorsOf(props: SpillBucketProps) {
  const bucket = 'spill-cors';
  let server: Server;
  let directory: string;
  let endpoint: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 's3rver-cors-'));
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory,
      resetOnClose: true,
      configureBuckets: [{ name: bucket, configs: [corsXml(synthesizedCorsRules(props))] }],
    });
    endpoint = `http://127.0.0.1:${(await server.run()).port}`;
  });
  afterAll(async () => {
    await server.close();
    await rm(directory, { recursive: true, force: true });
  });

  /** The preflight of a GET to a spilled object, from `origin`, asking for `headers`. */
  return (origin: string, headers: string): Promise<{ status: number; allowHeaders: string | undefined }> =>
    new Promise((resolve, reject) => {
      const req = request(
        `${endpoint}/${bucket}/spill/20260101T000000000Z-report`,
        {
          method: 'OPTIONS',
          headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': headers },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, allowHeaders: res.headers['access-control-allow-headers'] as string | undefined }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    });
}

describe('the preflight of the redirected GET, against the synthesized CORS rule', () => {
  describe('with the default corsAllowedHeaders', () => {
    const preflight = bucketWithCorsOf({ corsAllowedOrigins: ['https://app.example.com', 'null'] });

    test('a GET that carries x-api-key is allowed, from the page\'s origin and from the redirect-tainted origin null', async () => {
      for (const origin of ['https://app.example.com', 'null']) {
        expect(await preflight(origin, 'x-api-key')).toEqual({ status: 200, allowHeaders: 'x-api-key' });
      }
    });

    test('so is any header a page may send with its API call (content-type for JSON, tracing headers)', async () => {
      expect(await preflight('null', 'content-type,traceparent,x-requested-with')).toEqual({
        status: 200,
        allowHeaders: 'content-type, traceparent, x-requested-with',
      });
    });

    test('an origin that is not listed is still refused', async () => {
      expect((await preflight('https://other.example.com', 'x-api-key')).status).toBe(403);
    });
  });

  describe('with corsAllowedHeaders narrowed to x-api-key', () => {
    const preflight = bucketWithCorsOf({ corsAllowedOrigins: ['null'], corsAllowedHeaders: ['x-api-key'] });

    test('x-api-key is allowed, in any case', async () => {
      expect(await preflight('null', 'X-Api-Key')).toEqual({ status: 200, allowHeaders: 'x-api-key' });
    });

    test('a header outside the list is refused', async () => {
      expect((await preflight('null', 'x-api-key,x-tenant')).status).toBe(403);
    });
  });
});
