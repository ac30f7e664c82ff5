/**
 * Keeping an upload (`S3Upload.copyTo`: one server-side CopyObject) and
 * reading parts of it (`S3Upload.slice`: ranged GetObject), against the local
 * S3 that verifies signatures. The local servers ignore
 * `x-amz-copy-source-if-match` (and `If-Match`), so the tests show that every
 * copy request carries it, and a forced 412 shows what a refusal becomes.
 */
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { createHash, randomBytes } from 'node:crypto';
import { createUpload, InvalidUploadError, resolveUploads, type S3Upload } from 'lambda-s3-spill/uploads';
import { startFaultProxy } from '../../samples/local/fault-proxy.js';
import { localS3Client } from '../../samples/local/s3-server.js';
import { newUploadKey } from '../../src/uploads/key.js';
import { formatUploadReference, newUploadToken } from '../../src/uploads/reference.js';
import { sliceBounds, sliceType } from '../../src/uploads/blob-slice.js';
import { useLocalS3 } from '../support/local-s3.js';
import { postForm, recordCommands, uploadEvent } from '../support/uploads.js';

const KEEP_BUCKET = 'kept-files';
const s3 = useLocalS3('keep-uploads', { verifySignatures: true, extraBuckets: [KEEP_BUCKET] });

const MAX = 21_000_000;
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Headers of every CopyObject request a client sends, as they leave it (after signing). */
function copyRequests(client: S3Client): Record<string, string>[] {
  const seen: Record<string, string>[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers: Record<string, string> };
      if (request.headers['x-amz-copy-source'] !== undefined) seen.push({ ...request.headers });
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'recordCopyRequests' },
  );
  return seen;
}

/** Resolve a reference as `s3Uploads` does and return the upload. */
async function resolved(reference: string, client: S3Client = s3.client): Promise<S3Upload> {
  const event = await resolveUploads(uploadEvent({ file: reference }), { bucket: s3.bucket, s3Client: client, maxBytes: MAX });
  return (event.body as { file: S3Upload }).file;
}

/** POST `bytes` with a form, as a browser does; returns the upload as the handler gets it. */
async function uploaded(bytes: Uint8Array, contentType = 'application/octet-stream', client: S3Client = s3.client) {
  const form = await createUpload({ bucket: s3.bucket, s3Client: s3.client, maxBytes: MAX });
  expect((await postForm(form, bytes, contentType)).status).toBe(204);
  return resolved(form.reference, client);
}

async function read(bucket: string, key: string): Promise<Uint8Array> {
  const answer = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return answer.Body!.transformToByteArray();
}

describe('copyTo', () => {
  it('keeps a 20 MB upload byte-identical under another prefix and in another bucket, still there once the uploads prefix is emptied', async () => {
    const bytes = randomBytes(20 * 1024 * 1024);
    const client = s3.newClient();
    const requests = copyRequests(client);
    const upload = await uploaded(bytes, 'application/octet-stream', client);
    const sent = recordCommands(client);
    const started = performance.now();
    const here = await upload.copyTo({ key: 'kept/photo.bin' });
    const there = await upload.copyTo({ bucket: KEEP_BUCKET, key: 'archive/2026/photo.bin' });
    const ms = performance.now() - started;
    expect(sent).toEqual(['CopyObjectCommand', 'CopyObjectCommand']); // the bytes never came through the function
    expect(here).toEqual({ bucket: s3.bucket, key: 'kept/photo.bin', etag: upload.etag, size: bytes.length });
    expect(there).toEqual({ bucket: KEEP_BUCKET, key: 'archive/2026/photo.bin', etag: upload.etag, size: bytes.length });
    // Every copy was conditional on the ETag that was checked.
    expect(requests.map((h) => [h['x-amz-copy-source'], h['x-amz-copy-source-if-match'], h['x-amz-metadata-directive']])).toEqual([
      [`${s3.bucket}/${upload.key}`, upload.etag, 'REPLACE'],
      [`${s3.bucket}/${upload.key}`, upload.etag, 'REPLACE'],
    ]);
    // The lifecycle rule empties the uploads prefix: the upload is gone, the copies stay.
    await s3.client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: upload.key }));
    await expect(s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: upload.key }))).rejects.toMatchObject({ name: 'NotFound' });
    expect(sha(await read(s3.bucket, 'kept/photo.bin'))).toBe(sha(bytes));
    expect(sha(await read(KEEP_BUCKET, 'archive/2026/photo.bin'))).toBe(sha(bytes));
    console.log(`copyTo: two copies of ${bytes.length} bytes in ${Math.round(ms)} ms`);
  });

  it('keeps the content headers and the user metadata, not the form\'s token and expiry; putObjectParams apply to the copy', async () => {
    // An upload with every content header (a form could pin them), made as S3 stores a POST.
    const key = newUploadKey('uploads/');
    const token = newUploadToken();
    await s3.client.send(
      new PutObjectCommand({
        Bucket: s3.bucket,
        Key: key,
        Body: 'hello, kept world',
        ContentType: 'text/plain; charset=utf-8',
        ContentEncoding: 'identity',
        ContentDisposition: 'attachment; filename="hello.txt"',
        ContentLanguage: 'en',
        CacheControl: 'max-age=60',
        Metadata: { 'upload-token': token, 'upload-expires': String(Math.floor(Date.now() / 1000) + 300), owner: 'alice' },
      }),
    );
    const client = s3.newClient();
    const requests = copyRequests(client);
    const upload = await resolved(formatUploadReference({ bucket: s3.bucket, key, token }), client);
    const kept = await upload.copyTo({
      bucket: KEEP_BUCKET,
      key: 'texts/hello.txt',
      putObjectParams: { Metadata: { Reviewed: 'yes', owner: 'bob' }, StorageClass: 'STANDARD_IA', Tagging: 'kind=text' },
    });
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: KEEP_BUCKET, Key: 'texts/hello.txt' }));
    expect(head).toMatchObject({
      ContentType: 'text/plain; charset=utf-8',
      ContentEncoding: 'identity',
      ContentDisposition: 'attachment; filename="hello.txt"',
      ContentLanguage: 'en',
      CacheControl: 'max-age=60',
      ContentLength: 17,
      Metadata: { owner: 'bob', reviewed: 'yes' },
    });
    expect(kept).toEqual({ bucket: KEEP_BUCKET, key: 'texts/hello.txt', etag: upload.etag, size: 17 });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      'x-amz-copy-source-if-match': upload.etag,
      'x-amz-metadata-directive': 'REPLACE',
      'x-amz-storage-class': 'STANDARD_IA',
      'x-amz-tagging': 'kind=text',
      'x-amz-tagging-directive': 'REPLACE',
    });
    expect(Object.keys(requests[0]!).filter((h) => h.startsWith('x-amz-meta-')).sort()).toEqual(['x-amz-meta-owner', 'x-amz-meta-reviewed']);
  });

  it.each<[string, object, RegExp]>([
    ['a ".." segment', { key: 'kept/../uploads/x' }, /copyTo key must not contain a "\.\." segment/],
    ['a "." segment', { key: 'kept/./x' }, /copyTo key must not contain a "\." segment/],
    ['a leading "/"', { key: '/kept/x' }, /copyTo key must not start with "\/"/],
    ['a control character', { key: 'kept/x\u0007' }, /control characters/],
    ['an empty key', { key: '' }, /must not be empty/],
    ['a key of 1,025 bytes', { key: `kept/${'é'.repeat(510)}` }, /at most 1024 bytes/],
    ['no key', {}, /copyTo key must be a string/],
    ['a key under the uploads prefix', { key: 'uploads/mine' }, /under the uploads prefix/],
    ['a bad bucket', { bucket: 'Not_A_Bucket', key: 'kept/x' }, /copyTo bucket must be/],
    ['an unknown option (with the closest known one)', { key: 'kept/x', bucekt: 'kept-files' }, /copyTo has no option 'bucekt'; did you mean 'bucket'\?/],
    ['a putObjectParams that would change the content', { key: 'kept/x', putObjectParams: { ContentType: 'text/html' } }, /cannot set ContentType/],
  ])('refuses %s with a TypeError before any request', async (_, options, message) => {
    const upload = await uploaded(Buffer.from('small'));
    const sent = recordCommands(s3.client);
    const error = await upload.copyTo(options as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(message);
    expect(sent).toEqual([]);
  });

  it('a slice is not kept (only a whole upload is)', async () => {
    const upload = await uploaded(Buffer.from('whole file'));
    await expect(upload.slice(0, 5).copyTo({ key: 'kept/part' })).rejects.toThrow(/a slice cannot be copied/);
  });

  it('S3 refusing the condition (412: replaced after the check) is an InvalidUploadError; a 403 an UploadStorageError', async () => {
    const proxy = await startFaultProxy(s3.endpoint, (request) =>
      request.method === 'PUT'
        ? { kind: 'error', status: 412, code: 'PreconditionFailed', message: 'At least one of the pre-conditions you specified did not hold' }
        : { kind: 'pass' },
    );
    const client = localS3Client(proxy.endpoint);
    try {
      const upload = await uploaded(Buffer.from('checked'), 'text/plain', client);
      const changed = await upload.copyTo({ key: 'kept/x' }).catch((e: unknown) => e);
      expect(changed).toBeInstanceOf(InvalidUploadError);
      expect((changed as Error).message).toBe('{"message":"The upload changed after it was checked"}');
      proxy.setPlan((request) => (request.method === 'PUT' ? { kind: 'error', status: 403, code: 'AccessDenied' } : { kind: 'pass' }));
      const denied = await upload.copyTo({ key: 'kept/x' }).catch((e: unknown) => e);
      expect(denied).toMatchObject({ name: 'UploadStorageError', statusCode: 502, message: '{"message":"The upload could not be kept"}' });
    } finally {
      client.destroy();
      await proxy.stop();
    }
  });
});

describe('slice', () => {
  it('slices (and slices of slices) hold the bytes of the same slices of the bytes, as Blob.slice, with their type', async () => {
    const bytes = randomBytes(3000);
    const blob = new Blob([bytes]);
    const upload = await uploaded(bytes);
    const offset = fc.option(fc.integer({ min: -4000, max: 4000 }), { nil: undefined });
    const type = fc.option(fc.constantFrom('text/plain', 'IMAGE/PNG', 'a/\u00e9', ''), { nil: undefined });
    const slice = fc.tuple(offset, offset, type);
    await fc.assert(
      fc.asyncProperty(slice, fc.option(slice, { nil: undefined }), async ([start, end, contentType], again) => {
        // The local S3 reads `Range: bytes=0-0` as "from 0 to the end" (its store takes `end || Infinity`,
        // @20minutes/s3rver lib/stores/filesystem.js); S3 answers the first byte. The test below shows that
        // the library refuses that answer; here the one range the server gets wrong is left out.
        const outer = sliceBounds(bytes.length, start, end);
        const inner = again === undefined ? { start: 0, size: outer.size } : sliceBounds(outer.size, again[0], again[1]);
        fc.pre(!(outer.start + inner.start === 0 && inner.size === 1));
        let got = upload.slice(start, end, contentType);
        let want = blob.slice(start, end, contentType);
        if (again !== undefined) {
          got = got.slice(...again);
          want = want.slice(...again);
        }
        expect({ size: got.size, type: got.type }).toEqual({ size: want.size, type: want.type });
        expect(Buffer.from(await got.bytes()).equals(Buffer.from(await want.arrayBuffer()))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('reads a slice with one ranged GetObject on the checked ETag; an empty slice reads nothing', async () => {
    const bytes = randomBytes(1000);
    const client = s3.newClient();
    const upload = await uploaded(bytes, 'application/octet-stream', client);
    const ranges: (string | undefined)[] = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        const headers = (args.request as { headers: Record<string, string> }).headers;
        ranges.push(`${headers['range']} if-match ${headers['if-match']}`);
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'recordRanges' },
    );
    const part = upload.slice(100, -100);
    expect(Buffer.from(await part.bytes()).equals(bytes.subarray(100, 900))).toBe(true);
    const chunks: Uint8Array[] = [];
    for await (const chunk of part.slice(-10).stream() as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
    expect(Buffer.concat(chunks).equals(bytes.subarray(890, 900))).toBe(true);
    expect(await upload.slice(10, 9).bytes()).toEqual(new Uint8Array(0));
    expect(await upload.slice(1000).text()).toBe('');
    const empty: Uint8Array[] = [];
    for await (const chunk of upload.slice(5, 5).stream() as unknown as AsyncIterable<Uint8Array>) empty.push(chunk);
    expect(empty).toEqual([]);
    expect(ranges).toEqual([`bytes=100-899 if-match ${upload.etag}`, `bytes=890-899 if-match ${upload.etag}`]);
  });

  it('a ranged answer of another size is refused, not returned (the local S3 answers the whole object to bytes=0-0)', async () => {
    const upload = await uploaded(randomBytes(3000));
    await expect(upload.slice(0, 1).bytes()).rejects.toThrow(/changed after it was checked/);
    expect(Buffer.from(await upload.slice(1, 2).bytes()).length).toBe(1);
  });

  it('a slice of an object replaced after the check is refused, not read', async () => {
    const upload = await uploaded(Buffer.from('the original content'));
    await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: upload.key, Body: 'another content, longer' }));
    await expect(upload.slice(0, 3).bytes()).rejects.toThrow(/changed after it was checked/);
  });

  it('offsets as Web IDL gives them to Blob.slice: NaN is 0, halves round to even; types outside U+0020-U+007E are dropped', () => {
    expect(sliceBounds(10, 1.5)).toEqual({ start: 2, size: 8 });
    expect(sliceBounds(10, 2.5)).toEqual({ start: 2, size: 8 });
    expect(sliceBounds(10, -0.5)).toEqual({ start: 0, size: 10 });
    expect(sliceBounds(10, Number.NaN, 3)).toEqual({ start: 0, size: 3 });
    expect(sliceBounds(10, -Infinity, Infinity)).toEqual({ start: 0, size: 10 });
    expect(sliceBounds(10, 8, 2)).toEqual({ start: 8, size: 0 });
    expect([sliceType(undefined), sliceType('Text/Plain'), sliceType('a/\u00e9'), sliceType('a\tb')]).toEqual(['', 'text/plain', '', '']);
  });
});
