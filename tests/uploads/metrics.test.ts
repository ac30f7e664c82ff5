/**
 * s3Uploads' `metrics` in a real Middy pipeline against a local S3 that checks
 * signatures, with a real Powertools `Metrics` whose EMF output is captured.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { randomBytes } from 'node:crypto';
import { createUpload, s3Uploads, s3UploadsValidateOptions, type S3Upload } from 'lambda-s3-spill/uploads';
import { useEmfCapture } from '../support/emf.js';
import { context, recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { postForm, uploadEvent } from '../support/uploads.js';

const s3 = useLocalS3('metrics-uploads', { verifySignatures: true });
const emf = useEmfCapture();

const options = () => ({ bucket: s3.bucket, s3Client: s3.client, maxBytes: 64 * 1024, logger: recordingLogger().logger });

async function uploaded(bytes: Uint8Array) {
  const form = await createUpload({ bucket: s3.bucket, s3Client: s3.client, maxBytes: 64 * 1024 });
  expect((await postForm(form, bytes)).status).toBe(204);
  return form;
}

function handlerWith(metrics: Metrics) {
  return middy(async (event: { body: Record<string, S3Upload | string> }) => ({ statusCode: 200, body: String(Object.keys(event.body).length) }))
    .use(httpJsonBodyParser())
    .use(s3Uploads({ ...options(), metrics }));
}

it('a request whose references resolve emits Resolved (the uploads) and ResolvedBytes (their sizes)', async () => {
  const [a, b] = [await uploaded(randomBytes(10_000)), await uploaded(randomBytes(2_345))];
  const handler = handlerWith(new Metrics({ namespace: 'UploadTests', serviceName: 'photos' }));
  const event = uploadEvent(JSON.stringify({ a: a.reference, b: b.reference, name: 'two' }), { 'content-type': 'application/json' });
  expect(await handler(event, context)).toMatchObject({ statusCode: 200 });
  const dimensions = { service: 'photos', utility: 'uploads' };
  expect(emf.metrics()).toEqual([
    { name: 'Resolved', unit: 'Count', value: 2, namespace: 'UploadTests', dimensions },
    { name: 'ResolvedBytes', unit: 'Bytes', value: 12_345, namespace: 'UploadTests', dimensions },
  ]);
});

it('emits nothing for a request without references', async () => {
  const handler = handlerWith(new Metrics({ namespace: 'UploadTests', serviceName: 'photos' }));
  await handler(uploadEvent(JSON.stringify({ name: 'none' }), { 'content-type': 'application/json' }), context);
  expect(emf.documents).toEqual([]);
});

it('refuses metrics that are not a Powertools Metrics', () => {
  expect(() => s3UploadsValidateOptions({ bucket: 'b-uploads', maxBytes: 1, metrics: { singleMetric: () => 1 } as never })).toThrow(
    new TypeError('metrics must be a Powertools Metrics (new Metrics({ namespace, serviceName }))'),
  );
});
