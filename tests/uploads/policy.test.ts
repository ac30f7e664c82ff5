/** The POST policy createUpload signs, decoded from the form and compared condition by condition. */
import { S3Client } from '@aws-sdk/client-s3';
import { createHmac } from 'node:crypto';
import { createUpload } from 'lambda-s3-spill/uploads';
import { parseUploadReference } from '../../src/uploads/reference.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'SESSION' };
const client = new S3Client({ region: 'eu-west-1', credentials });
afterAll(() => client.destroy());

function decode(policy: string): { expiration: string; conditions: unknown[] } {
  return JSON.parse(Buffer.from(policy, 'base64').toString('utf8'));
}

/** SigV4 signature of a POST policy (AWS, "Calculating a signature" for browser-based uploads). */
function sign(policy: string, date: string): string {
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  let key = hmac(`AWS4${credentials.secretAccessKey}`, date);
  for (const part of ['eu-west-1', 's3', 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(policy).digest('hex');
}

it.each([
  ['an exact content type', 'application/pdf'],
  ['a type/* content type', 'image/*'],
  ['no content type', undefined],
])('signs exactly the conditions it documents, with %s', async (_, contentType) => {
  const before = Date.now();
  const form = await createUpload({ bucket: 'my-spill-bucket', s3Client: client, maxBytes: 12_345, contentType, expiresIn: 120 });
  const { token } = parseUploadReference(form.reference) as { token: string };
  const policy = decode(form.fields.Policy!);
  const date = form.fields['X-Amz-Date']!;
  const expires = form.fields['x-amz-meta-upload-expires']!;

  expect(form.url).toBe('https://my-spill-bucket.s3.eu-west-1.amazonaws.com/');
  expect(form.key).toMatch(/^uploads\/\d{8}T\d{9}Z-[0-9a-f-]{36}$/);
  expect(form.maxBytes).toBe(12_345);
  expect(form.expiresAt).toBe(policy.expiration.replace('Z', '.000Z'));
  expect(new Date(form.expiresAt).getTime()).toBeGreaterThanOrEqual(Math.floor((before + 120_000) / 1000) * 1000);
  expect(String(new Date(form.expiresAt).getTime() / 1000)).toBe(expires);
  expect(policy.conditions).toEqual([
    ['content-length-range', 1, 12_345],
    ...(contentType === 'image/*' ? [['starts-with', '$Content-Type', 'image/']] : []),
    ...(contentType === undefined ? [['starts-with', '$Content-Type', '']] : []),
    { 'x-amz-meta-upload-token': token },
    { 'x-amz-meta-upload-expires': expires },
    ...(contentType === 'application/pdf' ? [{ 'Content-Type': 'application/pdf' }] : []),
    { bucket: 'my-spill-bucket' },
    { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' },
    { 'X-Amz-Credential': `AKIDEXAMPLE/${date.slice(0, 8)}/eu-west-1/s3/aws4_request` },
    { 'X-Amz-Date': date },
    { 'X-Amz-Security-Token': 'SESSION' },
    { key: form.key },
  ]);
  // Every field sent is pinned by an exact condition (so S3 rejects a form whose fields were edited).
  const pinned = new Map(
    policy.conditions.filter((c) => !Array.isArray(c)).flatMap((c) => Object.entries(c as Record<string, string>)),
  );
  for (const [name, value] of Object.entries(form.fields)) {
    if (name === 'Policy' || name === 'X-Amz-Signature') continue;
    expect([name, pinned.get(name)]).toEqual([name, value]);
  }
  expect(form.fields['X-Amz-Signature']).toBe(sign(form.fields.Policy!, date.slice(0, 8)));
  expect(Buffer.from(token, 'base64url')).toHaveLength(32);
});

it('gives every form its own key and token', async () => {
  const forms = await Promise.all([1, 2, 3].map(() => createUpload({ bucket: 'my-spill-bucket', s3Client: client, maxBytes: 1 })));
  expect(new Set(forms.map((f) => f.key)).size).toBe(3);
  expect(new Set(forms.map((f) => f.fields['x-amz-meta-upload-token'])).size).toBe(3);
});
