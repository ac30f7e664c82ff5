/**
 * The API the client calls with the reference: `s3Uploads()` checks it
 * (HeadObject: token, size, content type) before the handler runs and puts a
 * Blob-like upload where the reference was. Its function needs
 * `grantUploadRead` (s3:GetObject on the uploads prefix; s3:DeleteObject
 * for deleteAfter).
 */
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { s3Uploads, type S3Upload } from 'lambda-s3-spill/uploads';
import { createHash } from 'node:crypto';

interface PhotoRequest {
  body: { title: string; photo: S3Upload };
}

async function savePhoto(event: PhotoRequest) {
  const { title, photo } = event.body;
  const sha256 = createHash('sha256').update(await photo.bytes()).digest('hex');
  return { statusCode: 200, body: JSON.stringify({ title, bytes: photo.size, type: photo.type, sha256 }) };
}

export const handler = middy(savePhoto)
  .use(httpErrorHandler()) // InvalidUploadError answers 400, UploadStorageError 502/503
  .use(httpJsonBodyParser())
  .use(s3Uploads({ maxBytes: 100 * 1024 * 1024, contentType: 'image/*', deleteAfter: true }));
