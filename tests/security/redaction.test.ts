/**
 * Nothing secret in logs or errors: the leak detector itself, the scrubbing of
 * AWS SDK errors (S3 echoes credentials in some error bodies), and a Powertools
 * Logger used as the error handler's logger, its real output captured, across
 * faults whose S3 answers echo the session token and the canonical request.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import { s3Spill, SpillUploadError } from 'lambda-s3-spill';
import { redactedCause, redactSecrets } from '../../src/errors/redact.js';
import type { FaultAction } from '../../samples/local/fault-proxy.js';
import { testClient } from '../faults/harness.js';
import { context, eventOf } from '../support/events.js';
import { useLocalS3BehindFaultProxy } from '../support/local-s3.js';
import { leaksIn, renderForLogs, SENTINEL_SESSION_TOKEN, TEST_CREDENTIALS, testNoLeaks, watchForLeaks } from './leak-watch.js';

const watch = watchForLeaks();

const PRESIGNED =
  'https://b.s3.us-east-1.amazonaws.com/spill/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAXXXX%2F20261121%2Fus-east-1%2Fs3%2Faws4_request' +
  `&X-Amz-Date=20261121T000000Z&X-Amz-Expires=300&X-Amz-Security-Token=${SENTINEL_SESSION_TOKEN}` +
  '&X-Amz-Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef&X-Amz-SignedHeaders=host';

describe('the leak detector', () => {
  it.each([
    ['a presigned URL', PRESIGNED],
    ['a bare X-Amz-Signature parameter', 'X-Amz-Signature=abc'],
    ['an X-Amz-Credential', 'x-amz-credential: ASIA/...'],
    ['a session token header', `x-amz-security-token:${SENTINEL_SESSION_TOKEN}`],
    ['a SigV4 Authorization header', 'AWS4-HMAC-SHA256 Credential=ASIAXX/20261121/us-east-1/s3/aws4_request, Signature=0123456789abcdef0123'],
    ['an echoed canonical request', '{"CanonicalRequest":"PUT /k"}'],
  ])('finds %s', (_name, text) => {
    expect(leaksIn(text)).not.toEqual([]);
  });

  it('finds nothing in an ordinary spill record or error', () => {
    expect(leaksIn('s3Spill stored an oversized response in S3 {"key":"spill/20261121T051000123Z-1b4e"}')).toEqual([]);
    expect(leaksIn('SpillUploadError: {"message":"The response was too large to return and could not be stored"}')).toEqual([]);
  });
});

describe('redactSecrets', () => {
  it('cuts the query of any URL and SigV4 parameters, keeping the rest', () => {
    const text = redactSecrets(`GET ${PRESIGNED} failed; Credential=AKIA/x, Signature=abcdef012345`);
    expect(leaksIn(text)).toEqual([]);
    expect(text).toContain('https://b.s3.us-east-1.amazonaws.com/spill/k?[query redacted]');
    expect(text).toContain('failed');
  });
});

describe('redactedCause', () => {
  function sdkLikeError(): Error {
    return Object.assign(new Error(`The provided token has expired. ${PRESIGNED}`), {
      name: 'ExpiredToken',
      $fault: 'client',
      $metadata: { httpStatusCode: 400, requestId: 'R1', attempts: 1, totalRetryDelay: 0 },
      $response: { headers: { 'x-amz-security-token': SENTINEL_SESSION_TOKEN }, body: 'raw' },
      Code: 'ExpiredToken',
      'Token-0': SENTINEL_SESSION_TOKEN,
      StringToSign: 'AWS4-HMAC-SHA256\n...',
      CanonicalRequest: `PUT\n/k\n\nx-amz-security-token:${SENTINEL_SESSION_TOKEN}`,
      SignatureProvided: '0123456789abcdef0123456789abcdef',
      AWSAccessKeyId: 'ASIAEXAMPLE',
      RequestId: 'R1',
    });
  }

  it('keeps the same error (name, $metadata, Code) and removes everything S3 echoed', () => {
    const error = sdkLikeError();
    const cause = redactedCause(error);
    expect(cause).toBe(error);
    expect(error).toMatchObject({ name: 'ExpiredToken', Code: 'ExpiredToken', $fault: 'client', RequestId: 'R1' });
    expect((error as Error & { $metadata?: unknown }).$metadata).toEqual({ httpStatusCode: 400, requestId: 'R1', attempts: 1, totalRetryDelay: 0 });
    for (const gone of ['Token-0', 'StringToSign', 'CanonicalRequest', 'SignatureProvided', 'AWSAccessKeyId', '$response']) {
      expect(Object.hasOwn(error, gone)).toBe(false);
    }
    expect(leaksIn(renderForLogs(error))).toEqual([]);
  });

  it('scrubs the cause chain and AggregateError members', () => {
    const inner = sdkLikeError();
    const outer = new AggregateError([sdkLikeError()], `connect failed ${PRESIGNED}`, { cause: inner });
    redactedCause(outer);
    expect(leaksIn(renderForLogs(outer))).toEqual([]);
    expect((outer.cause as Error).name).toBe('ExpiredToken');
    expect(outer.errors).toHaveLength(1);
  });

  it('copies an error it cannot change (frozen), with the same name and no secrets', () => {
    const frozen = Object.freeze(sdkLikeError());
    const cause = redactedCause(frozen) as Error;
    expect(cause).not.toBe(frozen);
    expect(cause.name).toBe('ExpiredToken');
    expect(leaksIn(renderForLogs(cause))).toEqual([]);
  });

  it('survives a cause cycle', () => {
    const error = sdkLikeError();
    (error as { cause?: unknown }).cause = error;
    expect(() => redactedCause(error)).not.toThrow();
    expect(leaksIn(renderForLogs(error))).toEqual([]);
  });
});

describe('a Powertools Logger as the error handler logger, real output captured', () => {
  const { s3, proxy } = useLocalS3BehindFaultProxy('security-spill');

  const ECHOING_FAULTS: [string, FaultAction][] = [
    [
      'ExpiredToken',
      { kind: 'error', status: 400, code: 'ExpiredToken', message: 'The provided token has expired.', extraXml: `<Token-0>${SENTINEL_SESSION_TOKEN}</Token-0>` },
    ],
    [
      'SignatureDoesNotMatch',
      {
        kind: 'error',
        status: 403,
        code: 'SignatureDoesNotMatch',
        extraXml:
          `<AWSAccessKeyId>${TEST_CREDENTIALS.accessKeyId}</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256</StringToSign>` +
          `<SignatureProvided>0123456789abcdef0123456789abcdef</SignatureProvided><CanonicalRequest>x-amz-security-token:${SENTINEL_SESSION_TOKEN}</CanonicalRequest>`,
      },
    ],
    ['InternalError', { kind: 'error', status: 500, code: 'InternalError' }],
  ];

  it.each(ECHOING_FAULTS)('%s: one JSON log line with the cause, and no secret in it', async (code, action) => {
    proxy.setPlan(() => action);
    const stdoutBefore = watch.captured.length;
    const logger = new Logger({ serviceName: 'spill-security-test' });
    const client = testClient(proxy.endpoint);
    const handler = middy(async () => ({ statusCode: 200, body: 'x'.repeat(100_000) }))
      .use(s3Spill({ bucket: s3.bucket, s3Client: client, logger, maxBytes: 64 * 1024 }))
      .use(httpErrorHandler({ logger: (error: unknown) => logger.error('Request failed', error as Error) }));
    const response = (await handler(eventOf('function-url'), context)) as { statusCode: number; body: string };
    client.destroy();
    expect(response.statusCode).toBe(502);

    const lines = watch.captured.slice(stdoutBefore).join('').split('\n').filter((line) => line.startsWith('{'));
    const errors = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.level === 'ERROR');
    expect(errors).toHaveLength(1);
    const entry = errors[0] as { error: { name: string; message: string; cause?: { name?: string } } };
    expect(entry.error.name).toBe(SpillUploadError.name);
    expect(JSON.parse(entry.error.message)).toEqual({ message: expect.any(String) });
    expect(entry.error.cause?.name).toBe(code);
    expect(leaksIn(lines.join('\n'))).toEqual([]);
  });
});

testNoLeaks(watch, 'security suite', 3);
