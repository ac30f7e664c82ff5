/**
 * Storing offloaded bodies: one object per message, the body's UTF-8 bytes
 * under `<keyPrefix><uuid>`, through the shared store (the SDK is imported there,
 * at the first offload: a producer whose messages fit never loads it).
 *
 * @module messages/store
 */
import { clientOrDefault, type S3ClientLike } from '../s3/client.js';
import { storeObject, type PutObjectParams } from '../s3/store.js';
import { LargeMessageStoreError } from './errors.js';
import type { PayloadPointer } from './format.js';

/** Objects at least this large go up as a multipart upload (the spill default). */
const MULTIPART_THRESHOLD = 100 * 1024 * 1024;

/** Where and how to store. */
export interface StoreSettings {
  readonly bucket: string;
  readonly keyPrefix: string;
  readonly putObjectParams: PutObjectParams;
  readonly s3Client: S3ClientLike | undefined;
}

/**
 * Store each body (all at once) and return their pointers, in order.
 *
 * @throws LargeMessageStoreError when S3 failed for any of them
 */
export async function storeBodies(bodies: readonly string[], settings: StoreSettings): Promise<PayloadPointer[]> {
  const client = await clientOrDefault(settings.s3Client);
  return Promise.all(
    bodies.map(async (body) => {
      // node:crypto on first use (the first body stored), not at import.
      const key = settings.keyPrefix + process.getBuiltinModule('node:crypto').randomUUID();
      try {
        await storeObject({
          client,
          bucket: settings.bucket,
          key,
          body: { bytes: Buffer.from(body, 'utf8'), contentType: 'text/plain; charset=utf-8' },
          params: settings.putObjectParams,
          multipartThreshold: MULTIPART_THRESHOLD,
          partSize: 16 * 1024 * 1024,
          queueSize: 4,
        });
      } catch (error) {
        throw new LargeMessageStoreError(`A message body could not be stored in S3 (bucket ${settings.bucket}, key ${key})`, {
          cause: error,
        });
      }
      return { bucket: settings.bucket, key };
    }),
  );
}
