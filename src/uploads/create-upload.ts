/**
 * `createUpload()`: the upload form for a browser (or any HTTP client), a
 * presigned POST (`@aws-sdk/s3-presigned-post`) whose policy S3 enforces, and
 * the reference the client sends back to the API.
 *
 * @module uploads/create-upload
 */
import { redactedCause } from '../errors/redact.js';
import { clientOrDefault } from '../s3/client.js';
import { UploadStorageError } from './errors.js';
import { newUploadKey } from './key.js';
import { resolveCreateUploadOptions, type CreateUploadOptions } from './options.js';
import { uploadPolicyParts } from './policy.js';
import { formatUploadReference, newUploadToken } from './reference.js';

/** An upload form: where and how the client POSTs the file, and the reference it sends back. */
export interface UploadForm {
  /** Where the client POSTs the form (`multipart/form-data`). */
  readonly url: string;
  /**
   * The form fields, to send in this order before the file, which comes last
   * under the name `file`. They include the signature and, with temporary
   * credentials, the session token: a credential for this one upload; never log them.
   */
  readonly fields: Readonly<Record<string, string>>;
  /** The opaque reference the client sends back (a capability: never log it). */
  readonly reference: string;
  /** The object's key (safe to log; alone it reads nothing). */
  readonly key: string;
  /** When the form stops working at the latest, ISO 8601 UTC. */
  readonly expiresAt: string;
  /** Largest file the policy allows, in bytes. */
  readonly maxBytes: number;
}

/**
 * Make an upload form. Its POST policy fixes the exact key (under `keyPrefix`,
 * with 122 random bits), the size (`content-length-range` 1 to `maxBytes`), the
 * content type (exact, `type/*` as a `starts-with` condition, or any when not
 * given: the client sends a `Content-Type` field but for an exact type), a
 * random 256-bit token as the object's `x-amz-meta-upload-token` (exact), the
 * form's expiry as `x-amz-meta-upload-expires` (exact), and the expiration
 * (`expiresIn`). The token is the reference's secret: `s3Uploads` reads an
 * upload only when the object carries it.
 *
 * Needs `s3:PutObject` on the uploads prefix for the signer (`SpillBucket`'s
 * `grantUploadForms`): the form carries the signer's permission.
 *
 * @param options - see {@link CreateUploadOptions}; `maxBytes` is required
 * @returns the form: `{ url, fields, reference, key, expiresAt, maxBytes }`
 * @throws TypeError naming an option of the wrong type or range
 * @throws SpillConfigurationError when there is no bucket
 * @throws UploadStorageError (502) when signing failed (no credentials)
 * @example
 * ```ts
 * import { createUpload } from 'lambda-s3-spill/uploads';
 * export const handler = async () => {
 *   const form = await createUpload({ bucket: 'my-spill-bucket', maxBytes: 100 * 1024 * 1024, contentType: 'image/*' });
 *   return { statusCode: 200, headers: { 'Cache-Control': 'no-store' }, body: JSON.stringify(form) };
 * };
 * ```
 */
export async function createUpload(options: CreateUploadOptions): Promise<UploadForm> {
  const resolved = resolveCreateUploadOptions(options);
  // The SDK loads on first use: importing the library (and every response that fits) never loads it.
  const [{ createPresignedPost }, client] = await Promise.all([
    import('@aws-sdk/s3-presigned-post'),
    clientOrDefault(resolved.s3Client),
  ]);
  const key = newUploadKey(resolved.keyPrefix);
  const token = newUploadToken();
  const expiresAtMs = Date.now() + resolved.expiresIn * 1000;
  // Whole seconds, rounded down as the SDK writes the policy's expiration.
  const expiresAtSeconds = Math.floor(expiresAtMs / 1000);
  const { fields, conditions } = uploadPolicyParts({
    maxBytes: resolved.maxBytes,
    token,
    expiresAtSeconds,
    contentType: resolved.contentType,
  });
  let post: { url: string; fields: Record<string, string> };
  try {
    post = await createPresignedPost(client, {
      Bucket: resolved.bucket,
      Key: key,
      Fields: fields,
      Conditions: conditions,
      Expires: resolved.expiresIn,
    });
  } catch (error) {
    throw new UploadStorageError('The upload form could not be signed', { cause: redactedCause(error) });
  }
  return {
    url: post.url,
    fields: post.fields,
    reference: formatUploadReference({ bucket: resolved.bucket, key, token }),
    key,
    expiresAt: new Date(expiresAtSeconds * 1000).toISOString(),
    maxBytes: resolved.maxBytes,
  };
}
