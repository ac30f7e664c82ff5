/**
 * The API the client calls with the reference: `s3Uploads()` checks it
 * (HeadObject: token, size, content type) before the handler runs and puts a
 * Blob-like upload where the reference was. The handler reads the first bytes
 * (a ranged GetObject), hashes the file, and keeps it under photos/ with one
 * server-side CopyObject (the uploads prefix's lifecycle rule would delete
 * it). Its function needs `grantUploadRead` (s3:GetObject on the uploads
 * prefix; s3:DeleteObject for deleteAfter) and `grantUploadKeep` (s3:PutObject
 * on photos/).
 */
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { s3Uploads, type S3Upload } from 'lambda-s3-spill/uploads';
import { createHash, randomUUID } from 'node:crypto';

interface PhotoRequest {
  body: { title: string; photo: S3Upload };
}

async function savePhoto(event: PhotoRequest) {
  const { title, photo } = event.body;
  const magic = Buffer.from(await photo.slice(0, 4).bytes()).toString('hex'); // 89504e47 for a PNG
  const sha256 = createHash('sha256').update(await photo.bytes()).digest('hex');
  const kept = await photo.copyTo({ key: `photos/${randomUUID()}` });
  return { statusCode: 200, body: JSON.stringify({ title, bytes: photo.size, type: photo.type, magic, sha256, key: kept.key }) };
}

export const handler = middy(savePhoto)
  .use(httpErrorHandler()) // InvalidUploadError answers 400, UploadStorageError 502/503
  .use(httpJsonBodyParser())
  .use(s3Uploads({ maxBytes: 100 * 1024 * 1024, contentType: 'image/*', deleteAfter: true }));
