/**
 * The endpoint that hands out upload forms: `createUpload()` signs a POST
 * policy for one file of at most 100 MiB. Its function needs
 * `grantUploadForms` (s3:PutObject on the uploads prefix); the bucket comes
 * from S3_SPILL_BUCKET, the prefix from S3_SPILL_UPLOAD_PREFIX (default uploads/).
 */
import { createUpload } from 'lambda-s3-spill/uploads';

export const handler = async () => {
  const form = await createUpload({ maxBytes: 100 * 1024 * 1024, contentType: 'image/*', expiresIn: 300 });
  return {
    statusCode: 200,
    // The form and its reference are credentials for this one upload: never cached, never logged.
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
    body: JSON.stringify(form),
  };
};
