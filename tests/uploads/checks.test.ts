/** The pure checks of the request side: reference format, key as S3 sees it, object checks, options, body encoding. */
import { eventBodyOf } from '../../src/uploads/body-encoding.js';
import { storedUploadProblem, type StoredUpload } from '../../src/uploads/checks.js';
import { readKeyProblem } from '../../src/s3/keys.js';
import { newUploadKey, uploadKeyProblem } from '../../src/uploads/key.js';
import { resolveCreateUploadOptions, resolveS3UploadsOptions } from '../../src/uploads/options.js';
import { contentTypeAllowed, uploadPolicyParts } from '../../src/uploads/policy.js';
import { formatUploadReference, newUploadToken, parseUploadReference } from '../../src/uploads/reference.js';
import { SpillConfigurationError } from '../../src/errors/base.js';

const key = newUploadKey('uploads/');
const token = newUploadToken();

describe('upload reference', () => {
  it('round-trips bucket, key and token, and carries 256 random bits', () => {
    const text = formatUploadReference({ bucket: 'b-1', key, token });
    expect(parseUploadReference(text)).toEqual({ bucket: 'b-1', key, token });
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(newUploadToken()).not.toBe(token);
  });

  it.each([
    ['no marker', 'x'],
    ['two parts', 's3up1.YQ.YQ'],
    ['four parts', `s3up1.YQ.YQ.${token}.x`],
    ['non-canonical base64url', `s3up1.YR.YQ.${token}`],
    ['padding', `s3up1.YQ==.YQ.${token}`],
    ['short token', 's3up1.YQ.YQ.abc'],
    ['empty key', `s3up1.YQ..${token}`],
    ['invalid UTF-8 key', `s3up1.YQ.${Buffer.from([0xff, 0xfe]).toString('base64url')}.${token}`],
    ['too long', `s3up1.${'A'.repeat(2000)}.YQ.${token}`],
  ])('refuses %s', (_, text) => {
    const parsed = parseUploadReference(text);
    expect(parsed).toHaveProperty('problem');
    expect(JSON.stringify(parsed)).not.toContain(token);
  });
});

describe('keys as S3 sees them', () => {
  it.each([
    ['up/../secret/x', 'secret/x'],
    ['uploads/../secret/x', 'secret/x'],
    ['uploads/./a', 'uploads/a'],
    ['uploads\\..\\secret', 'secret'],
    ['a/b/../../../c', 'c'],
    ['uploads/x/..', 'uploads/'],
  ])('refuses %s (a URL parser would send %s)', (raw) => expect(readKeyProblem(raw, 'uploads/')).toBeDefined());

  it('accepts dots that are not a segment', () => expect(readKeyProblem('uploads/a..b', 'uploads/')).toBeUndefined());

  it('accepts the keys createUpload makes, with 122 random bits', () => {
    expect(uploadKeyProblem(key, 'uploads/')).toBeUndefined();
    expect(key).toMatch(/^uploads\/\d{8}T\d{9}Z-[0-9a-f-]{36}$/);
  });

  it.each([
    ['a dot-dot escape', `uploads/../secret/${key.slice(8)}`],
    ['a dot segment', `uploads/./${key.slice(8)}`],
    ['a backslash', `uploads\\${key.slice(8)}`],
    ['another prefix', `other/${key.slice(8)}`],
    ['a key the client chose', 'uploads/my-file.txt'],
    ['a prefix lookalike', `uploadsX/${key.slice(8)}`],
    ['a control character', `uploads/\u0000${key.slice(8)}`],
    ['a leading slash', `/uploads/${key.slice(8)}`],
  ])('refuses %s', (_, candidate) => expect(uploadKeyProblem(candidate, 'uploads/')).toBeDefined());
});

describe('stored object checks', () => {
  const stored = (over: Partial<StoredUpload> = {}): StoredUpload => ({
    size: 100,
    contentType: 'image/png',
    etag: '"e"',
    lastModified: new Date(1_000_000_000),
    metadata: { 'upload-token': token, 'upload-expires': String(1_000_000 + 10) },
    ...over,
  });
  const expected = { token, maxBytes: 100, contentTypes: ['image/*'], expiryGraceSeconds: 0 };

  it('passes an object as the form made it', () => expect(storedUploadProblem(stored(), expected)).toBeUndefined());

  it.each<[string, Partial<StoredUpload>, string]>([
    ['no token', { metadata: { 'upload-expires': '1000010' } }, 'The upload reference is not valid'],
    ['another token', { metadata: { 'upload-token': newUploadToken(), 'upload-expires': '1000010' } }, 'The upload reference is not valid'],
    ['no expiry', { metadata: { 'upload-token': token } }, 'The upload reference is not valid'],
    ['written after the form expired', { lastModified: new Date(1_000_011_000) }, 'The upload arrived after its form expired'],
    ['one byte over maxBytes', { size: 101 }, 'The upload is too large'],
    ['empty', { size: 0 }, 'The upload is empty'],
    ['another content type', { contentType: 'text/html' }, 'The upload has a content type that is not accepted'],
    ['no content type', { contentType: undefined }, 'The upload has a content type that is not accepted'],
  ])('refuses %s', (_, over, message) => expect(storedUploadProblem(stored(over), expected)?.message).toBe(message));

  it('allows the grace after expiry', () => {
    expect(storedUploadProblem(stored({ lastModified: new Date(1_000_011_000) }), { ...expected, expiryGraceSeconds: 1 })).toBeUndefined();
  });

  it.each([
    ['image/png', 'image/*', true],
    ['IMAGE/PNG; x=y', 'image/*', true],
    ['image/', 'image/*', false],
    ['imagex/png', 'image/*', false],
    ['application/pdf', 'application/pdf', true],
    ['application/pdfx', 'application/pdf', false],
  ])('%s against %s: %s', (type, pattern, ok) => expect(contentTypeAllowed(type, pattern)).toBe(ok));
});

describe('policy parts', () => {
  it('exact content type is a field, type/* a starts-with condition', () => {
    expect(uploadPolicyParts({ maxBytes: 5, token, expiresAtSeconds: 7, contentType: 'application/pdf' })).toEqual({
      fields: { 'x-amz-meta-upload-token': token, 'x-amz-meta-upload-expires': '7', 'Content-Type': 'application/pdf' },
      conditions: [['content-length-range', 1, 5]],
    });
    expect(uploadPolicyParts({ maxBytes: 5, token, expiresAtSeconds: 7 }).conditions).toEqual([
      ['content-length-range', 1, 5],
      ['starts-with', '$Content-Type', ''],
    ]);
    expect(uploadPolicyParts({ maxBytes: 5, token, expiresAtSeconds: 7, contentType: 'image/*' }).conditions).toEqual([
      ['content-length-range', 1, 5],
      ['starts-with', '$Content-Type', 'image/'],
    ]);
  });
});

describe('whole-body encoding as the front door delivers it', () => {
  it.each([
    ['application/json', Buffer.from('{"a":"é"}'), false],
    ['text/csv; charset=utf-8', Buffer.from('a,b'), false],
    ['application/vnd.api+json', Buffer.from('{}'), false],
    ['image/png', Buffer.from([0x89, 0x50]), true],
    [undefined, Buffer.from('abc'), true],
    ['text/plain', Buffer.from([0xff, 0xfe]), true],
  ])('%s', (type, bytes, base64) => {
    const out = eventBodyOf(bytes, type);
    expect(out.isBase64Encoded).toBe(base64);
    expect(Buffer.from(out.body, base64 ? 'base64' : 'utf8').equals(bytes)).toBe(true);
  });
});

describe('options', () => {
  const base = { bucket: 'my-bucket', maxBytes: 10 };
  it.each<[string, object, string]>([
    ['maxBytes missing', { bucket: 'my-bucket' }, 'maxBytes'],
    ['maxBytes 0', { ...base, maxBytes: 0 }, 'maxBytes'],
    ['maxBytes over 5 GiB', { ...base, maxBytes: 5 * 1024 ** 3 + 1 }, 'maxBytes'],
    ['expiresIn 0', { ...base, expiresIn: 0 }, 'expiresIn'],
    ['contentType', { ...base, contentType: 'image' }, 'contentType'],
    ['keyPrefix ..', { ...base, keyPrefix: '../' }, 'keyPrefix'],
    ['keyPrefix empty', { ...base, keyPrefix: '' }, 'keyPrefix'],
    ['bucket', { ...base, bucket: 'Bad_Bucket' }, 'bucket'],
  ])('createUpload: %s is a TypeError naming the option', (_, options, name) => {
    expect(() => resolveCreateUploadOptions(options as never, {})).toThrow(new RegExp(name));
    expect(() => resolveCreateUploadOptions(options as never, {})).toThrow(TypeError);
  });

  it.each<[string, object, string]>([
    ['maxBytes missing', { bucket: 'my-bucket' }, 'maxBytes'],
    ['contentType []', { ...base, contentType: [] }, 'contentType'],
    ['contentType bad item', { ...base, contentType: ['image/*', 'x'] }, 'contentType'],
    ['accept', { ...base, accept: 'all' }, 'accept'],
    ['deleteAfter', { ...base, deleteAfter: 'yes' }, 'deleteAfter'],
    ['expiryGraceSeconds', { ...base, expiryGraceSeconds: -1 }, 'expiryGraceSeconds'],
    ['s3Client', { ...base, s3Client: {} }, 's3Client'],
  ])('s3Uploads: %s is a TypeError naming the option', (_, options, name) => {
    expect(() => resolveS3UploadsOptions(options as never, {})).toThrow(new RegExp(name));
  });

  it('bucket and prefix from the environment; undefined means the default', () => {
    const env = { S3_SPILL_BUCKET: 'env-bucket', S3_SPILL_UPLOAD_PREFIX: 'in/' };
    expect(resolveS3UploadsOptions({ maxBytes: 1, bucket: undefined, deleteAfter: undefined }, env)).toMatchObject({
      bucket: 'env-bucket',
      keyPrefix: 'in/',
      deleteAfter: false,
      accept: 'both',
      expiryGraceSeconds: 60,
    });
    expect(resolveCreateUploadOptions({ maxBytes: 1 }, { S3_SPILL_BUCKET: 'b-2' })).toMatchObject({ keyPrefix: 'uploads/', expiresIn: 300 });
    expect(() => resolveCreateUploadOptions({ maxBytes: 1 }, {})).toThrow(SpillConfigurationError);
  });
});
