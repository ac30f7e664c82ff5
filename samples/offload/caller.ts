/**
 * The caller's side of an SDK invoke: the `Payload` of an `InvokeCommand`
 * answer (@aws-sdk/client-lambda) is the function's result as JSON; when the
 * function used `s3Offload`, a large result is a reference, and
 * `resolveOffloaded` turns it back into the value.
 */
import { OffloadLoadError, resolveOffloaded } from 'lambda-s3-spill/offload';

/** The value a function returned, whether it came inline or by reference. */
export async function valueOf<T>(payload: Uint8Array): Promise<T> {
  try {
    return await resolveOffloaded<T>(JSON.parse(Buffer.from(payload).toString('utf8')), {
      bucket: 'my-spill-bucket', // or S3_OFFLOAD_BUCKET
      abortSignal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    // Expired by the lifecycle rule (or never written): the caller can invoke again.
    if (error instanceof OffloadLoadError && error.notFound) throw new Error('The result expired: call again', { cause: error });
    throw error; // OffloadReferenceError (not our bucket or prefix), OffloadIntegrityError (tampered), ...
  }
}
