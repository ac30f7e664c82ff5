/**
 * Issue 14, the production guard: in a deployed Lambda function (AWS_LAMBDA_FUNCTION_NAME set, neither
 * AWS_SAM_LOCAL nor LAMBDA_S3_SPILL_DEV), a loopback or private S3 endpoint is a SpillConfigurationError:
 * from the environment at creation, from an explicit client's own endpoint at the first spill, before any upload.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { s3Spill, SpillConfigurationError, withS3Spill } from 'lambda-s3-spill';
import { clientEndpointProblem, environmentEndpointProblem, hostKind, inDeployedLambda } from '../../src/s3/endpoint-guard.js';
import { context, eventOf } from '../support/events.js';
import { detailOf } from '../support/errors.js';

const LAMBDA = { AWS_LAMBDA_FUNCTION_NAME: 'orders-api', S3_SPILL_BUCKET: 'spill-bucket' };
const saved = { ...process.env };
afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
});
function setEnv(env: Record<string, string | undefined>): void {
  for (const name of ['AWS_LAMBDA_FUNCTION_NAME', 'AWS_SAM_LOCAL', 'LAMBDA_S3_SPILL_DEV', 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL']) {
    delete process.env[name];
  }
  Object.assign(process.env, env);
}

it('classifies hosts: loopback, private, public', () => {
  const table: [string, 'loopback' | 'private' | undefined][] = [
    ['127.0.0.1', 'loopback'],
    ['127.8.9.1', 'loopback'],
    ['localhost', 'loopback'],
    ['s3.localhost', 'loopback'],
    ['[::1]', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.10', 'private'],
    ['169.254.169.254', 'private'],
    ['0.0.0.0', 'private'],
    ['[fd00::1]', 'private'],
    ['[fe80::1]', 'private'],
    ['minio', 'private'],
    ['host.docker.internal', 'private'],
    ['172.32.0.1', undefined],
    ['52.216.1.1', undefined],
    ['s3.eu-west-1.amazonaws.com', undefined],
    ['bucket.vpce-0a1b-c2d3.s3.us-east-1.vpce.amazonaws.com', undefined],
    ['minio.example.com', undefined],
  ];
  for (const [host, kind] of table) expect([host, hostKind(host)]).toEqual([host, kind]);
});

it('knows a deployed function from sam local and lambda-s3-spill dev', () => {
  expect(inDeployedLambda({})).toBe(false);
  expect(inDeployedLambda({ AWS_LAMBDA_FUNCTION_NAME: 'f' })).toBe(true);
  expect(inDeployedLambda({ AWS_LAMBDA_FUNCTION_NAME: 'f', AWS_SAM_LOCAL: 'true' })).toBe(false);
  expect(inDeployedLambda({ AWS_LAMBDA_FUNCTION_NAME: 'f', LAMBDA_S3_SPILL_DEV: '1' })).toBe(false);
});

it('refuses a local endpoint from the environment at creation of s3Spill and withS3Spill, in a deployed function only', () => {
  for (const [variable, url] of [
    ['AWS_ENDPOINT_URL_S3', 'http://127.0.0.1:4569'],
    ['AWS_ENDPOINT_URL', 'http://localhost:4566'],
    ['AWS_ENDPOINT_URL_S3', 'http://10.0.3.7:9000'],
  ]) {
    setEnv({ ...LAMBDA, [variable]: url });
    expect(() => s3Spill()).toThrow(SpillConfigurationError);
    expect(() => withS3Spill(async () => ({ statusCode: 200, body: '' }))).toThrow(SpillConfigurationError);
    expect(() => s3Spill()).toThrow(variable);
  }
  for (const env of [
    { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569', S3_SPILL_BUCKET: 'spill-bucket' },
    { ...LAMBDA, AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569', AWS_SAM_LOCAL: 'true' },
    { ...LAMBDA, AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569', LAMBDA_S3_SPILL_DEV: '1' },
    { ...LAMBDA, AWS_ENDPOINT_URL_S3: 'https://s3.eu-west-1.amazonaws.com' },
    { ...LAMBDA, AWS_ENDPOINT_URL_S3: 'http://10.0.3.7:9000', S3_SPILL_ALLOW_PRIVATE_ENDPOINT: '1' },
    { ...LAMBDA },
  ]) {
    setEnv(env);
    expect(() => s3Spill()).not.toThrow();
  }
  // The S3-specific variable wins over the global one, as in the SDK.
  expect(environmentEndpointProblem({ ...LAMBDA, AWS_ENDPOINT_URL_S3: 'https://s3.amazonaws.com', AWS_ENDPOINT_URL: 'http://127.0.0.1:1' })).toBeUndefined();
  expect(environmentEndpointProblem({ ...LAMBDA, AWS_ENDPOINT_URL_S3: 'http://[::1]:9000' })).toMatch(/loopback/);
});

it("refuses an explicit client's private endpoint at the first spill, before any upload", async () => {
  setEnv(LAMBDA);
  const client = new S3Client({ endpoint: 'http://192.168.0.20:9000', region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const sent: unknown[] = [];
  Object.defineProperty(client, 'send', { value: async (command: unknown) => sent.push(command) });
  const logged: unknown[] = [];
  const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (...a: unknown[]) => logged.push(a) };
  const handler = withS3Spill(async () => ({ statusCode: 200, body: 'x'.repeat(7_000_000) }), { s3Client: client, logger });
  const answer = (await handler(eventOf('function-url'), context)) as { statusCode: number };
  expect(answer.statusCode).toBe(500);
  expect(sent).toHaveLength(0);
  expect(JSON.stringify(logged)).not.toContain('x'.repeat(100));
  expect(await clientEndpointProblem(client, LAMBDA)).toMatch(/private address \(192\.168\.0\.20\)/);
  client.destroy();
});

it("checks a client's configured endpoint (from the environment) and passes a public one", async () => {
  const local = new S3Client({ region: 'us-east-1' });
  const publicClient = new S3Client({ region: 'us-east-1', endpoint: 'https://s3.us-east-1.amazonaws.com' });
  setEnv({ ...LAMBDA, AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569' });
  expect(await clientEndpointProblem(local, process.env)).toMatch(/loopback address \(127\.0\.0\.1\)/);
  expect(await clientEndpointProblem(publicClient, process.env)).toBeUndefined();
  expect(await clientEndpointProblem(new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1' }), {})).toBeUndefined();
  local.destroy();
  publicClient.destroy();
});

it('answers the generic message to the client and the reason as the cause', async () => {
  setEnv(LAMBDA);
  const client = new S3Client({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const spill = s3Spill({ s3Client: client });
  const request = { event: eventOf('function-url'), context, response: { statusCode: 200, body: 'y'.repeat(7_000_000) } as unknown, error: undefined, internal: {} };
  const error = await Promise.resolve((spill.after as (r: unknown) => unknown)(request)).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(SpillConfigurationError);
  expect(detailOf(error)).toMatch(/S3 client's endpoint points S3 at a loopback address/);
  client.destroy();
});

it('tells IP literals by their shape, as net.isIP does', async () => {
  const { isIP } = await import('node:net');
  const { ipVersion } = await import('../../src/s3/endpoint-guard.js');
  const hosts = ['127.0.0.1', '10.0.0.255', '256.1.1.1', '1.2.3', '01.2.3.4', '::1', '::', 'fe80::1', 'fc00::', '::ffff:127.0.0.1', '2001:db8::1', '1::2::3', 'g::1', 'localhost', 'minio', 's3.amazonaws.com', ':', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9'];
  expect(hosts.map((h) => [h, ipVersion(h)])).toEqual(hosts.map((h) => [h, isIP(h)]));
});
