/**
 * Reading an object of a known size exactly: `GetObject`, then its bytes into
 * one buffer of that size, refused when S3 says or sends more or fewer.
 *
 * @module s3/read
 */
import type { GetObjectCommandInput, GetObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';

/**
 * `GetObject` (the SDK loaded on first use).
 *
 * @throws what the SDK throws
 */
export async function getObject(client: S3Client, input: GetObjectCommandInput, signal?: AbortSignal): Promise<GetObjectCommandOutput> {
  const { GetObjectCommand } = await import('@aws-sdk/client-s3');
  return client.send(new GetObjectCommand(input), { abortSignal: signal });
}

/** A body that is not the size expected: why, for the logs. */
export interface SizeMismatch {
  readonly problem: string;
}

/**
 * The bytes of an object whose size is known, read into one buffer: no more
 * (a larger body is cut off and destroyed at once) and no fewer.
 *
 * @param output - what `GetObject` answered
 * @param size - the size expected, in bytes
 * @returns the bytes, or the mismatch
 * @throws what reading the stream throws (a reset connection, the abort signal)
 */
export async function readExactly(output: GetObjectCommandOutput, size: number): Promise<Uint8Array | SizeMismatch> {
  const body = output.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
  if (body === undefined) return { problem: 'S3 answered without a body' };
  if (output.ContentLength !== undefined && output.ContentLength !== size) {
    body.destroy?.();
    return { problem: `the object is ${output.ContentLength} bytes, ${size} were expected` };
  }
  const bytes = new Uint8Array(size);
  let length = 0;
  for await (const chunk of body) {
    if (length + chunk.byteLength > size) {
      body.destroy?.();
      return { problem: `the object is larger than the ${size} bytes expected` };
    }
    bytes.set(chunk, length);
    length += chunk.byteLength;
  }
  if (length !== size) return { problem: `the object is ${length} bytes, ${size} were expected` };
  return bytes;
}

/** Whether {@link readExactly} answered a mismatch. */
export function isSizeMismatch(value: Uint8Array | SizeMismatch): value is SizeMismatch {
  return !(value instanceof Uint8Array);
}
