/**
 * Presigned GET URLs (`@aws-sdk/s3-request-presigner`, loaded on first use).
 *
 * @module s3/presign
 */
import type { S3Client } from '@aws-sdk/client-s3';

/**
 * A presigned GET URL for the object, valid `expiresIn` seconds (or less: a URL
 * signed with temporary credentials dies with them).
 */
export async function presignGet(client: S3Client, bucket: string, key: string, expiresIn: number): Promise<string> {
  const [{ GetObjectCommand }, { getSignedUrl }] = await (modules ??= Promise.all([
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/s3-request-presigner'),
  ]));
  return getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn });
}

/** The two modules, imported once (a cache hit signs on every request). */
let modules: Promise<[typeof import('@aws-sdk/client-s3'), typeof import('@aws-sdk/s3-request-presigner')]> | undefined;
