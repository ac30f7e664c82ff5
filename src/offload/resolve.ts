/**
 * `resolveOffloaded()`: the caller's side of the claim check.
 *
 * @module offload/resolve
 */
import { type ResolveOffloadedOptions, resolveOffloadOptions } from './options.js';
import { planResolve } from './plan.js';
import { defaultLogger } from '../logging/default-logger.js';
import { deleteUsed, objectsOf, resolveWith } from './offloader.js';

/** Options of {@link resolveOffloaded}: those of the reading side, and a signal. */
export interface ResolveOffloadedCallOptions extends ResolveOffloadedOptions {
  /** Abandon the reads when it fires (`OffloadTimeoutError`), e.g. `AbortSignal.timeout(5_000)`. */
  readonly abortSignal?: AbortSignal;
}

/**
 * The original value behind an offload reference: for a reference (what a
 * function wrapped by `s3Offload` returned, parsed), the stored value; for any
 * other value, the value with the references inside it (in plain objects and
 * arrays, down to `OFFLOAD_RESOLVE_MAX_DEPTH` levels) replaced, or the value
 * itself when it has none (then nothing is read and no client is made). The
 * same checks as `s3Offload`'s `before`: only references to `bucket` (or
 * `allowedBuckets`) under `keyPrefix` are read; the stored bytes must have the
 * recorded size and SHA-256. All or nothing: on any failure it rejects. With
 * `deleteAfterUse`, the objects read are deleted once every reference was
 * read and verified (nothing when it rejects; a failed delete is a `warn`
 * record, and the lifecycle rule's).
 *
 * @param value - what the caller received (for an SDK `Invoke`, the parsed `Payload`)
 * @param options - `bucket`, `keyPrefix`, `s3Client`, ... with the same environment defaults as `s3Offload`
 * @returns the value, its references replaced (the input is not changed)
 * @throws TypeError at the call, naming an option of the wrong type or range
 * @throws SpillConfigurationError when there is no bucket
 * @throws OffloadReferenceError when a reference is refused (nothing is read)
 * @throws OffloadIntegrityError when a stored value does not match its reference
 * @throws OffloadLoadError when S3 failed or the object is missing (`notFound`)
 * @throws OffloadTimeoutError when `abortSignal` fired first
 * @example
 * ```ts
 * import { resolveOffloaded } from 'lambda-s3-spill/offload';
 * // `Payload` of an `InvokeCommand` answer (@aws-sdk/client-lambda)
 * declare const payload: Uint8Array;
 * const value = await resolveOffloaded(JSON.parse(Buffer.from(payload).toString('utf8')), {
 *   bucket: 'my-spill-bucket',
 * });
 * ```
 */
export async function resolveOffloaded<T = unknown>(value: unknown, options: ResolveOffloadedCallOptions = {}): Promise<T> {
  const { abortSignal, ...rest } = options ?? {};
  if (abortSignal !== undefined && !(abortSignal instanceof AbortSignal)) throw new TypeError('abortSignal must be an AbortSignal');
  const opts = resolveOffloadOptions(rest, process.env, 'resolveOffloaded');
  const plan = planResolve(value, opts.policy);
  if (plan.allowed.length === 0 && plan.refused === undefined) return value as T;
  const resolved = (await resolveWith(value, plan, opts, abortSignal)).value as T;
  if (opts.deleteAfterUse) {
    const own = opts.logger === undefined ? defaultLogger(process.env) : undefined;
    await own?.load();
    await deleteUsed(objectsOf(plan), opts, opts.logger ?? own!, abortSignal);
  }
  return resolved;
}
