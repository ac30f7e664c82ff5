/**
 * Issue 11, item 8: Lambda authorizer events are not HTTP requests. Their
 * results pass through untouched, even with `alwaysSpill: true`:
 * HTTP API (`version: '2.0'`, `type: 'REQUEST'`, `routeArn`), REST REQUEST
 * (`type: 'REQUEST'`, `methodArn`), REST TOKEN (`type: 'TOKEN'`).
 */
import middy from '@middy/core';
import { s3Spill } from 'lambda-s3-spill';
import { context, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { MIDDY_VERSIONS } from '../support/middy-versions.js';
import { listKeys } from '../support/s3-objects.js';

const s3 = useLocalS3('regress-authorizers');

/** HTTP API Lambda authorizer, payload format 2.0 (API Gateway developer guide, "Working with AWS Lambda authorizers for HTTP APIs"). */
const httpApiAuthorizerEvent = () => ({
  version: '2.0',
  type: 'REQUEST',
  routeArn: 'arn:aws:execute-api:us-east-1:123456789012:abcdef123/$default/GET/items',
  identitySource: ['Bearer token-1'],
  routeKey: 'GET /items',
  rawPath: '/items',
  rawQueryString: '',
  cookies: [],
  headers: { authorization: 'Bearer token-1', 'accept-encoding': 'gzip' },
  requestContext: {
    accountId: '123456789012',
    apiId: 'abcdef123',
    domainName: 'abcdef123.execute-api.us-east-1.amazonaws.com',
    domainPrefix: 'abcdef123',
    http: { method: 'GET', path: '/items', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'curl/8.5.0' },
    requestId: 'id-1',
    routeKey: 'GET /items',
    stage: '$default',
    time: '21/Nov/2026:05:10:00 +0000',
    timeEpoch: Date.now(),
  },
});

/** REST API REQUEST authorizer (API Gateway developer guide, "Input to an API Gateway Lambda authorizer"). */
const restRequestAuthorizerEvent = () => ({
  type: 'REQUEST',
  methodArn: 'arn:aws:execute-api:us-east-1:123456789012:abcdef123/prod/GET/items',
  resource: '/items',
  path: '/items',
  httpMethod: 'GET',
  headers: { Authorization: 'Bearer token-1', 'Accept-Encoding': 'gzip' },
  multiValueHeaders: { Authorization: ['Bearer token-1'], 'Accept-Encoding': ['gzip'] },
  queryStringParameters: {},
  multiValueQueryStringParameters: {},
  pathParameters: {},
  stageVariables: {},
  requestContext: {
    path: '/prod/items',
    accountId: '123456789012',
    resourceId: 'abc123',
    stage: 'prod',
    requestId: 'id-2',
    identity: { sourceIp: '192.0.2.1', userAgent: 'curl/8.5.0' },
    resourcePath: '/items',
    httpMethod: 'GET',
    apiId: 'abcdef123',
  },
});

/** REST API TOKEN authorizer. */
const restTokenAuthorizerEvent = () => ({
  type: 'TOKEN',
  authorizationToken: 'Bearer token-1',
  methodArn: 'arn:aws:execute-api:us-east-1:123456789012:abcdef123/prod/GET/items',
});

const iamPolicy = () => ({
  principalId: 'user-1',
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'arn:aws:execute-api:us-east-1:123456789012:abcdef123/prod/GET/items' }],
  },
  context: { tenant: 'a' },
});

const spill = () =>
  s3Spill({ bucket: s3.bucket, s3Client: s3.client, logger: recordingLogger().logger, alwaysSpill: true });

describe.each(MIDDY_VERSIONS)('with %s and alwaysSpill: true', (_name, middyOf) => {
  it.each<[string, () => object, () => object]>([
    ['an HTTP API authorizer (simple response)', httpApiAuthorizerEvent, () => ({ isAuthorized: true, context: { tenant: 'a' } })],
    ['an HTTP API authorizer (IAM policy)', httpApiAuthorizerEvent, iamPolicy],
    ['a REST REQUEST authorizer', restRequestAuthorizerEvent, iamPolicy],
    ['a REST TOKEN authorizer', restTokenAuthorizerEvent, iamPolicy],
  ])('returns the result of %s untouched, nothing uploaded', async (_kind, eventOf, resultOf) => {
    const result = resultOf();
    const expected = structuredClone(result);
    const before = (await listKeys(s3.client, s3.bucket)).length;
    const response = await middyOf(async () => result).use(spill())(eventOf(), context);
    expect(response).toEqual(expected);
    expect((await listKeys(s3.client, s3.bucket)).length).toBe(before);
  });
});

describe('an authorizer result over the Lambda limit (a huge context) is not the middleware\'s business', () => {
  const huge = () => ({ ...iamPolicy(), context: { blob: 'p'.repeat(6_291_556) } });
  it.each<[string, () => object]>([
    ['an HTTP API authorizer', httpApiAuthorizerEvent],
    ['a REST REQUEST authorizer', restRequestAuthorizerEvent],
    ['a REST TOKEN authorizer', restTokenAuthorizerEvent],
  ])('returns it untouched behind %s (no ResponseTooLargeError, no 303)', async (_kind, eventOf) => {
    const result = huge();
    const outcome = await middy(async () => result)
      .use(spill())(eventOf(), context)
      .then(
        (response) => (response === result ? 'untouched' : `answered ${JSON.stringify(response).slice(0, 120)}`),
        (error: Error) => `threw ${error.name}: ${error.message}`,
      );
    expect(outcome).toBe('untouched');
  });
});

it('keeps spilling ordinary HTTP API requests with alwaysSpill (the authorizer check is not too broad)', async () => {
  const { type: _t, routeArn: _r, identitySource: _i, ...request } = httpApiAuthorizerEvent();
  const response = await middy(async () => ({ statusCode: 200, body: 'small' })).use(spill())(request, context);
  expect(response).toMatchObject({ statusCode: 303 });
});
