/**
 * The request side against a local S3 that verifies SigV4 signatures
 * (@20minutes/s3rver 5): forms POSTed as a browser would, references resolved
 * through Middy (5, 6, 7) and without, forged and stale references, and what
 * the local S3 does not enforce (the POST policy: size, expiry) checked by
 * `s3Uploads` itself.
 */
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { createHash, randomBytes } from 'node:crypto';
import { createUpload, InvalidUploadError, resolveUploads, s3Uploads, type S3Upload } from 'lambda-s3-spill/uploads';
import { formatUploadReference, parseUploadReference } from '../../src/uploads/reference.js';
import { context, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { MIDDY_VERSIONS } from '../support/middy-versions.js';
import { postForm, recordCommands, uploadEvent } from '../support/uploads.js';

const OTHER_BUCKET = 'other-bucket';
const s3 = useLocalS3('upload-bucket', { verifySignatures: true, extraBuckets: [OTHER_BUCKET] });

const MAX = 64 * 1024;
const options = () => ({ bucket: s3.bucket, s3Client: s3.client, maxBytes: MAX });
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A form, and a file POSTed with it. */
async function uploaded(bytes: Uint8Array, contentType = 'application/octet-stream', extra: object = {}) {
  const form = await createUpload({ ...options(), ...extra });
  const response = await postForm(form, bytes, contentType);
  expect(response.status).toBe(204);
  return form;
}

async function refusal(promise: Promise<unknown>): Promise<InvalidUploadError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidUploadError);
  return error as InvalidUploadError;
}

it('the SDK sends uploads/../secret/x as secret/x (why keys are checked as S3 sees them)', async () => {
  await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'secret/x', Body: 'secret' }));
  const head = await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: 'uploads/../secret/x' }));
  expect(head.ContentLength).toBe(6);
});

describe('file fields', () => {
  it('without Middy: resolveUploads turns a reference into a lazy Blob-like upload', async () => {
    const bytes = randomBytes(40_000);
    const form = await uploaded(bytes, 'image/png');
    const sent = recordCommands(s3.client);
    const event = await resolveUploads(uploadEvent({ name: 'cat', photo: form.reference }), options(), context);
    const photo = (event.body as { photo: S3Upload }).photo;
    expect(sent).toEqual(['HeadObjectCommand']); // checked, nothing read yet
    expect(photo).toMatchObject({ size: 40_000, type: 'image/png', bucket: s3.bucket, key: form.key });
    expect(Object.prototype.toString.call(photo)).toBe('[object S3Upload]');
    expect(sha(await photo.bytes())).toBe(sha(bytes));
    expect(sha(new Uint8Array(await photo.arrayBuffer()))).toBe(sha(bytes));
    const chunks: Uint8Array[] = [];
    for await (const chunk of photo.stream() as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
    expect(sha(Buffer.concat(chunks))).toBe(sha(bytes));
    expect(JSON.stringify({ photo })).toBe(JSON.stringify({ photo: { bucket: s3.bucket, key: form.key, size: 40_000, type: 'image/png' } }));
    expect((event.body as { name: string }).name).toBe('cat');
  });

  it('a JSON string body (no parser) is parsed and becomes the object; items of a top-level array resolve too', async () => {
    const a = await uploaded(Buffer.from('first'), 'text/plain');
    const b = await uploaded(Buffer.from('second'), 'text/plain');
    const raw = JSON.stringify({ files: [a.reference, 'plain', b.reference], nested: { deep: a.reference } });
    const event = await resolveUploads({ ...uploadEvent(Buffer.from(raw).toString('base64')), isBase64Encoded: true } as Record<string, unknown>, options());
    const body = event.body as unknown as { files: [S3Upload, string, S3Upload]; nested: { deep: string } };
    expect(event.isBase64Encoded).toBe(false);
    expect(await body.files[0].text()).toBe('first');
    expect(body.files[1]).toBe('plain');
    expect(await body.files[2].text()).toBe('second');
    expect(body.nested.deep).toBe(a.reference); // deeper than the top level: documented, left as it is
  });

  it('a field named __proto__ stays a field (no prototype change)', async () => {
    const form = await uploaded(Buffer.from('proto'), 'text/plain');
    const event = await resolveUploads(uploadEvent(JSON.parse(`{"__proto__": "${form.reference}"}`)), options());
    const body = event.body as unknown as Record<string, unknown>;
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(await (Object.getOwnPropertyDescriptor(body, '__proto__')!.value as S3Upload).text()).toBe('proto');
  });

  it('leaves an event without references, and a non-HTTP event, untouched', async () => {
    const event = uploadEvent({ a: 1 });
    expect(await resolveUploads(event, options())).toBe(event);
    const sqs = { Records: [{ body: 's3up1.x' }] };
    expect(await resolveUploads(sqs, options())).toBe(sqs);
  });

  it.each(MIDDY_VERSIONS)('through %s after httpJsonBodyParser', async (_name, middyOf) => {
    const bytes = randomBytes(10_000);
    const form = await uploaded(bytes);
    let received = '';
    const handler = middyOf(async (event: { body: { file: S3Upload } }) => {
      received = sha(await event.body.file.bytes());
      return { statusCode: 200, body: 'ok' };
    })
      .use(httpJsonBodyParser())
      .use(s3Uploads(options()));
    const event = uploadEvent(JSON.stringify({ file: form.reference }), { 'content-type': 'application/json' });
    expect(await handler(event, context)).toMatchObject({ statusCode: 200 });
    expect(received).toBe(sha(bytes));
  });
});

describe('the whole body (X-S3-Upload)', () => {
  it('without Middy: the body becomes the object, as text for a text type, with its headers', async () => {
    const text = JSON.stringify({ hello: 'wörld', n: [1, 2, 3] });
    const form = await uploaded(Buffer.from(text), 'application/json');
    const event = await resolveUploads(uploadEvent(undefined, { 'x-s3-upload': form.reference, accept: '*/*' }), options());
    expect(event).toMatchObject({ body: text, isBase64Encoded: false });
    expect(event.headers).toEqual({ accept: '*/*', 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  });

  it('a binary type arrives as base64 with isBase64Encoded; REST API headers keep their casing, multiValueHeaders follow', async () => {
    const bytes = randomBytes(30_000);
    const form = await uploaded(bytes, 'application/zip');
    const rest = {
      resource: '/x',
      path: '/x',
      httpMethod: 'POST',
      headers: { 'X-S3-Upload': form.reference, 'Content-Type': 'text/plain' },
      multiValueHeaders: { 'X-S3-Upload': [form.reference], 'Content-Type': ['text/plain'] },
      requestContext: { httpMethod: 'POST', stage: 'prod' },
      body: null,
      isBase64Encoded: false,
    };
    const event = await resolveUploads(rest, options());
    expect(event.isBase64Encoded).toBe(true);
    expect(sha(Buffer.from(event.body as unknown as string, 'base64'))).toBe(sha(bytes));
    expect(event.headers).toEqual({ 'Content-Type': 'application/zip', 'Content-Length': '30000' });
    expect(event.multiValueHeaders).toEqual({ 'Content-Type': ['application/zip'], 'Content-Length': ['30000'] });
    expect(rest.body).toBeNull(); // the event given is not changed
  });

  it.each(MIDDY_VERSIONS)('through %s before httpJsonBodyParser, which parses the object', async (_name, middyOf) => {
    const form = await uploaded(Buffer.from('{"n":42}'), 'application/json');
    const handler = middyOf(async (event: { body: { n: number }; headers: Record<string, string> }) => ({
      statusCode: 200,
      body: JSON.stringify({ n: event.body.n, upload: event.headers['x-s3-upload'] ?? null }),
    }))
      .use(s3Uploads({ ...options(), accept: 'whole-body' }))
      .use(httpJsonBodyParser())
      .use(s3Uploads({ ...options(), accept: 'field' }));
    const result = await handler(uploadEvent(undefined, { 'x-s3-upload': form.reference }), context);
    expect(result).toMatchObject({ statusCode: 200, body: '{"n":42,"upload":null}' });
  });

  it('refuses a request with both the header and a body', async () => {
    const form = await uploaded(Buffer.from('x'));
    const error = await refusal(resolveUploads(uploadEvent('{}', { 'x-s3-upload': form.reference }), options()));
    expect(error.message).toBe('{"message":"A request with X-S3-Upload must have an empty body"}');
  });
});

describe('forged references are refused, and nothing is read', () => {
  const forge = (reference: string, change: Partial<{ bucket: string; key: string; token: string }>) => {
    const parts = parseUploadReference(reference) as { bucket: string; key: string; token: string };
    return formatUploadReference({ ...parts, ...change });
  };

  it.each<[string, (form: { reference: string; key: string }) => string | Promise<string>, string[]]>([
    ['malformed', () => 's3up1.garbage', []],
    ['truncated', (f) => f.reference.slice(0, -1), []],
    ['another bucket', (f) => forge(f.reference, { bucket: OTHER_BUCKET }), []],
    ['another prefix', (f) => forge(f.reference, { key: f.key.replace('uploads/', 'spill/') }), []],
    ['a .. escape to an object that carries the token', async (f) => {
      const parts = parseUploadReference(f.reference) as { token: string };
      const target = `secret/${f.key.slice('uploads/'.length)}`;
      await s3.client.send(new PutObjectCommand({
        Bucket: s3.bucket, Key: target, Body: 'secret',
        Metadata: { 'upload-token': parts.token, 'upload-expires': String(Math.ceil(Date.now() / 1000) + 60) },
      }));
      return forge(f.reference, { key: `uploads/../${target}` });
    }, []],
    ['a key the client chose, with an object there carrying its token', async (f) => {
      const parts = parseUploadReference(f.reference) as { token: string };
      await s3.client.send(new PutObjectCommand({
        Bucket: s3.bucket, Key: 'uploads/chosen.txt', Body: 'mine',
        Metadata: { 'upload-token': parts.token, 'upload-expires': String(Math.ceil(Date.now() / 1000) + 60) },
      }));
      return forge(f.reference, { key: 'uploads/chosen.txt' });
    }, []],
    ['a made-up token for an existing key', (f) => forge(f.reference, { token: 'A'.repeat(42) + 'E' }), ['HeadObjectCommand']],
    ['the token of another upload', async (f) => {
      const other = await createUpload(options());
      return forge(f.reference, { token: (parseUploadReference(other.reference) as { token: string }).token });
    }, ['HeadObjectCommand']],
    ['a form never used (no object)', async () => (await createUpload(options())).reference, ['HeadObjectCommand']],
  ])('%s', async (_, make, commands) => {
    const form = await uploaded(Buffer.from('real content'));
    const reference = await make(form);
    const sent = recordCommands(s3.client);
    const log = recordingLogger();
    const handler = middy(async () => ({ statusCode: 200, body: 'handler ran' }))
      .use(httpErrorHandler({ logger: false }))
      .use(s3Uploads({ ...options(), logger: log.logger }));
    for (const event of [uploadEvent({ file: reference }), uploadEvent(undefined, { 'x-s3-upload': reference })]) {
      const result = (await handler(event, context)) as { statusCode: number; body: string };
      expect(result.statusCode).toBe(400);
      expect(JSON.parse(result.body).message).toMatch(/^The upload/);
      expect(result.body).not.toContain(reference.split('.').at(-1));
    }
    expect(sent).toEqual([...commands, ...commands]);
    expect(log.text()).not.toContain(reference.split('.').at(-1));
  });

  it('the error names the field, never the reference', async () => {
    const error = await refusal(resolveUploads(uploadEvent({ avatar: 's3up1.x.y.z' }), options()));
    expect(error).toMatchObject({ statusCode: 400, field: 'avatar', expose: true });
    expect(error.message).toBe('{"message":"The upload reference is not valid"}');
  });
});

describe('stale and out-of-policy uploads (the local S3 does not enforce the POST policy: s3Uploads checks)', () => {
  it('an object replaced by a bigger one after the form was signed', async () => {
    const form = await uploaded(randomBytes(1000), 'application/octet-stream', { maxBytes: 1000 });
    await resolveUploads(uploadEvent({ f: form.reference }), { ...options(), maxBytes: 1000 });
    // The form is reused with a bigger file: S3 would refuse it (content-length-range), the local S3 stores it.
    expect((await postForm(form, randomBytes(1001))).status).toBe(204);
    const error = await refusal(resolveUploads(uploadEvent({ f: form.reference }), { ...options(), maxBytes: 1000 }));
    expect(error.message).toBe('{"message":"The upload is too large"}');
  });

  it('an object replaced after it was checked, before the handler read it', async () => {
    const form = await uploaded(Buffer.from('version one'));
    const event = await resolveUploads(uploadEvent({ f: form.reference }), options());
    expect((await postForm(form, Buffer.from('version two'))).status).toBe(204);
    const file = (event.body as { f: S3Upload }).f;
    const error = await refusal(file.text());
    expect(error.message).toBe('{"message":"The upload changed after it was checked"}');
  });

  it('a file over the API\'s maxBytes, whatever the form said', async () => {
    const form = await uploaded(randomBytes(2000), 'application/octet-stream', { maxBytes: 5000 });
    const error = await refusal(resolveUploads(uploadEvent({ f: form.reference }), { ...options(), maxBytes: 1999 }));
    expect(error.message).toBe('{"message":"The upload is too large"}');
  });

  it('a content type the API does not accept, whatever the form said', async () => {
    const form = await uploaded(Buffer.from('<html>'), 'text/html', { contentType: 'text/*' });
    const error = await refusal(resolveUploads(uploadEvent({ f: form.reference }), { ...options(), contentType: ['image/*', 'application/pdf'] }));
    expect(error.message).toBe('{"message":"The upload has a content type that is not accepted"}');
    await expect(resolveUploads(uploadEvent({ f: form.reference }), { ...options(), contentType: 'text/html' })).resolves.toBeDefined();
  });

  it('a POST after the form expired: the local S3 stores it (204), s3Uploads refuses it', async () => {
    const form = await createUpload({ ...options(), expiresIn: 1 });
    const inTime = await createUpload({ ...options(), expiresIn: 1 });
    expect((await postForm(inTime, Buffer.from('in time'))).status).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect((await postForm(form, Buffer.from('too late'))).status).toBe(204);
    const strict = { ...options(), expiryGraceSeconds: 0 };
    const error = await refusal(resolveUploads(uploadEvent({ f: form.reference }), strict));
    expect(error.message).toBe('{"message":"The upload arrived after its form expired"}');
    await expect(resolveUploads(uploadEvent({ f: inTime.reference }), strict)).resolves.toBeDefined();
  });
});

describe('deleteAfter', () => {
  it('deletes the objects once the handler succeeded, keeps them when it failed', async () => {
    const kept = await uploaded(Buffer.from('kept'));
    const gone = await uploaded(Buffer.from('gone'));
    const head = (key: string) => s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key })).then(() => true, () => false);
    const ok = middy(async () => ({ statusCode: 200, body: '' })).use(s3Uploads({ ...options(), deleteAfter: true }));
    await ok(uploadEvent({ f: gone.reference }), context);
    expect(await head(gone.key)).toBe(false);
    const failing = middy(async () => {
      throw new Error('handler failed');
    }).use(s3Uploads({ ...options(), deleteAfter: true }));
    await expect(failing(uploadEvent(undefined, { 'x-s3-upload': kept.reference }), context)).rejects.toThrow('handler failed');
    expect(await head(kept.key)).toBe(true);
    const plain = middy(async () => ({ statusCode: 200, body: '' })).use(s3Uploads(options()));
    await plain(uploadEvent({ f: kept.reference }), context);
    expect(await head(kept.key)).toBe(true); // default: the lifecycle rule removes it
  });
});
