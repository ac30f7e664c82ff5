/** storeOnce: HEAD first, then a conditional PUT; against mocks (412, 409, 403) and two local S3 servers. */
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { contentKey } from '../../src/spill/reuse-window.js';
import { storeOnce, type StoreOnceInput } from '../../src/spill/content-address.js';
import { presignGet } from '../../src/s3/presign.js';
import type { LocalS3Options } from '../../samples/local/s3-server.js';
import { useLocalS3 } from '../support/local-s3.js';
import { rawGet } from '../support/s3-objects.js';


const body = { bytes: Buffer.from('{"big":"answer"}'), contentType: 'application/json', contentEncoding: 'br' };
const now = new Date('2026-11-21T05:10:00Z');

function inputFor(client: S3Client, bucket: string, extra: Partial<StoreOnceInput> = {}): StoreOnceInput {
  let fallbacks = 0;
  return {
    client,
    bucket,
    key: contentKey('spill/', body, {}, now, 300),
    body,
    params: {},
    multipartThreshold: 100 * 1024 * 1024,
    partSize: 8 * 1024 * 1024,
    queueSize: 4,
    fallbackKey: () => `spill/fallback-${++fallbacks}`,
    expiresIn: 300,
    lifecycleDays: 1,
    now,
    ...extra,
  };
}

function s3Error(name: string, status: number): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

describe('with a mocked S3', () => {
  const client = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const s3 = mockClient(client);
  beforeEach(() => s3.reset());
  afterAll(() => s3.restore());

  it('uploads nothing when HEAD finds the object', async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: body.bytes.length, LastModified: new Date(now.getTime() - 60_000) });
    const result = await storeOnce(inputFor(client, 'b'));
    expect(result).toEqual({ key: expect.stringMatching(/^spill\/2026112105\/[0-9a-f]{64}$/), uploaded: false, outcome: 'found' });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it.each([
    ['404', s3Error('NotFound', 404)],
    ['403 (no s3:ListBucket)', s3Error('Forbidden', 403)],
    ['a network error', new Error('socket hang up')],
  ])('after a HEAD %s, writes with If-None-Match: *', async (_name, headError) => {
    s3.on(HeadObjectCommand).rejects(headError);
    s3.on(PutObjectCommand).resolves({});
    const input = inputFor(client, 'b');
    expect(await storeOnce(input)).toEqual({ key: input.key, uploaded: true, outcome: 'uploaded' });
    const put = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(put).toMatchObject({ Key: input.key, IfNoneMatch: '*', ContentEncoding: 'br', ContentType: 'application/json' });
  });

  it('takes a 412 to the conditional write as "already there": nothing more uploaded', async () => {
    s3.on(HeadObjectCommand).rejects(s3Error('NotFound', 404));
    s3.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412));
    const input = inputFor(client, 'b');
    expect(await storeOnce(input)).toEqual({ key: input.key, uploaded: false, outcome: 'precondition-failed' });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(1);
  });

  it('uploads to a fresh key on a 409 (a concurrent conditional write)', async () => {
    s3.on(HeadObjectCommand).rejects(s3Error('NotFound', 404));
    s3.on(PutObjectCommand, { IfNoneMatch: '*' }).rejects(s3Error('ConditionalRequestConflict', 409));
    s3.on(PutObjectCommand, { Key: 'spill/fallback-1' }).resolves({});
    expect(await storeOnce(inputFor(client, 'b'))).toEqual({ key: 'spill/fallback-1', uploaded: true, outcome: 'fallback' });
    expect(s3.commandCalls(PutObjectCommand)[1]!.args[0].input.IfNoneMatch).toBeUndefined();
  });

  it.each([
    ['of another size', { ContentLength: body.bytes.length + 1, LastModified: now }],
    ['too old to outlive a URL signed now', { ContentLength: body.bytes.length, LastModified: new Date(now.getTime() - 86_400_000) }],
  ])('does not reuse an object %s: uploads to a fresh key', async (_name, head) => {
    s3.on(HeadObjectCommand).resolves(head);
    s3.on(PutObjectCommand).resolves({});
    expect(await storeOnce(inputFor(client, 'b'))).toEqual({ key: 'spill/fallback-1', uploaded: true, outcome: 'fallback' });
  });

  it('passes other S3 errors on', async () => {
    s3.on(HeadObjectCommand).rejects(s3Error('NotFound', 404));
    s3.on(PutObjectCommand).rejects(s3Error('AccessDenied', 403));
    await expect(storeOnce(inputFor(client, 'b'))).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('stops at the deadline, even in HEAD', async () => {
    s3.on(HeadObjectCommand).rejects(s3Error('NotFound', 404));
    const signal = AbortSignal.abort(new DOMException('deadline', 'TimeoutError'));
    await expect(storeOnce(inputFor(client, 'b', { abortSignal: signal }))).rejects.toBeDefined();
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('sends the SSE-C key with the HEAD, so an object encrypted with it is seen', async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: body.bytes.length });
    const params = { SSECustomerAlgorithm: 'AES256', SSECustomerKey: 'k', SSECustomerKeyMD5: 'm' };
    await storeOnce(inputFor(client, 'b', { params }));
    expect(s3.commandCalls(HeadObjectCommand)[0]!.args[0].input).toMatchObject(params);
  });
});

/** Counts the requests a client sends, by command, and the body bytes of the uploads. */
function countRequests(client: S3Client): { commands: string[]; uploadedBytes: () => number } {
  const commands: string[] = [];
  let bytes = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(context.commandName ?? '?');
      const length = Number((args.request as { headers?: Record<string, string> }).headers?.['content-length'] ?? 0);
      if (context.commandName === 'PutObjectCommand' || context.commandName === 'UploadPartCommand') bytes += length;
      return next(args);
    },
    { step: 'finalizeRequest', name: 'countRequests' },
  );
  return { commands, uploadedBytes: () => bytes };
}

describe.each<[string, LocalS3Options]>([
  ['s3rver 3.7', {}],
  ['@20minutes/s3rver 5 (verifies signatures)', { verifySignatures: true }],
])('against %s', (_name, options) => {
  const s3 = useLocalS3('reuse-bucket', options);

  it('uploads the first identical body, then nothing, and each presigned URL serves it', async () => {
    const client = s3.newClient();
    const counted = countRequests(client);
    const large = { ...body, bytes: Buffer.alloc(3 * 1024 * 1024, 'spill ') };
    const input = { ...inputFor(client, s3.bucket), body: large, key: contentKey('spill/', large, {}, new Date(), 300), now: undefined };

    expect(await storeOnce(input)).toMatchObject({ uploaded: true, outcome: 'uploaded' });
    const firstBytes = counted.uploadedBytes();
    expect(firstBytes).toBe(large.bytes.length);
    for (let i = 0; i < 3; i++) {
      expect(await storeOnce(input)).toEqual({ key: input.key, uploaded: false, outcome: 'found' });
    }
    expect(counted.uploadedBytes()).toBe(firstBytes);
    expect(counted.commands.filter((c) => c === 'PutObjectCommand')).toHaveLength(1);

    const url = await presignGet(client, s3.bucket, input.key, 300);
    const fetched = await rawGet(url);
    expect(fetched.status).toBe(200);
    expect(fetched.body.equals(large.bytes)).toBe(true);
    expect(fetched.headers['content-encoding']).toBe('br');
    expect(fetched.headers['content-type']).toBe('application/json');
  });
});
