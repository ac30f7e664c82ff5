/**
 * Deleting objects a utility is done with (`deleteAfterUse`, `deleteAfter`).
 * The SDK module loads on first use.
 *
 * @module s3/delete
 */
import type { S3Client } from '@aws-sdk/client-s3';

/** An object to delete. */
export interface DeletedObject {
  readonly bucket: string;
  readonly key: string;
}

/**
 * Delete objects (all at once, one `DeleteObject` each: `DeleteObjects` needs a
 * `Content-MD5` some S3-compatible servers refuse). Never rejects: what could
 * not be deleted comes back with the SDK's error, for the caller to log (the
 * lifecycle rule removes it later) or to throw.
 *
 * @returns the objects that were not deleted, each with its error (raw: scrub it with `redactedCause` before logging)
 */
export async function deleteObjects(
  client: S3Client,
  objects: readonly DeletedObject[],
  abortSignal?: AbortSignal,
): Promise<(DeletedObject & { readonly error: unknown })[]> {
  const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
  const outcomes = await Promise.all(
    objects.map(async ({ bucket, key }) => {
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }), { abortSignal });
        return undefined;
      } catch (error) {
        return { bucket, key, error };
      }
    }),
  );
  return outcomes.filter((o) => o !== undefined);
}
