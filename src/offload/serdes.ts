/**
 * `s3Serdes()`: a serdes for Lambda durable functions
 * (`@aws/durable-execution-sdk-js`) that keeps a step's result inline in its
 * checkpoint when it fits, and stores it in S3 behind an offload reference
 * when it does not.
 *
 * The checkpoint payload is exactly the string `serialize` returns:
 *
 * - inline: `{"lambdaS3Inline":<the value's JSON>}` (19 bytes around the
 *   value), kept when the whole string is at most
 *   `DURABLE_CHECKPOINT_MAX_BYTES` (262,144);
 * - stored: the offload reference, `{"lambdaS3Offload":{...}}`, to the value's
 *   JSON text at `<keyPrefix><sha256(durableExecutionArn)>/<sha256(entityId)>.json`.
 *
 * The wrapper makes the two unambiguous: an inline value that happens to look
 * like a reference is inside `lambdaS3Inline`, never taken for one. The key is
 * a function of the execution and the step, so serializing the same step again
 * (a retry before its checkpoint, a child context re-run on replay) writes the
 * same object again, never a second one.
 *
 * @module offload/serdes
 */
import { createHash } from 'node:crypto';
import { DURABLE_CONTRACT } from '../contract.js';
import { DURABLE_CHECKPOINT_MAX_BYTES } from '../limits.js';
import { checkS3Client, mergeOptions, resolveBucket, resolveKeyPrefix } from '../options/resolve.js';
import { clientOrDefault, type S3ClientLike } from '../s3/client.js';
import type { PutObjectParams } from '../s3/store.js';
import type { DurableSerdes, DurableSerdesContext } from '../types/durable.js';
import { OffloadReferenceError } from './errors.js';
import { planResolve, refusal } from './plan.js';
import { looksLikeReference, OFFLOAD_REFERENCE_KEY, type ReferencePolicy } from './reference.js';

/** The one key of an inline checkpoint. */
export const DURABLE_INLINE_KEY = 'lambdaS3Inline';

const INLINE_OPEN = `{"${DURABLE_INLINE_KEY}":`;

/** Options of {@link s3Serdes}. Every one is optional. */
export interface S3SerdesOptions {
  /**
   * The bucket large values are stored in, and the only one references are read from.
   * @default process.env.S3_SPILL_BUCKET (unset: `SpillConfigurationError` at creation)
   */
  readonly bucket?: string;
  /**
   * Key prefix of stored values; only references under it are read. Give it
   * its own lifecycle rule, longer than an execution may last (`SpillBucket`'s
   * `durableExpiration`). No leading `/`, no `.`, `..` or empty segment.
   * @default process.env.S3_DURABLE_PREFIX ?? 'durable/'
   */
  readonly keyPrefix?: string;
  /**
   * S3 client to store and read with.
   * @default - one `new S3Client({})` per container, shared with `s3Spill` and `s3Offload`, created on first use
   */
  readonly s3Client?: S3ClientLike;
  /**
   * Extra `PutObject` parameters: `ServerSideEncryption`, `SSEKMSKeyId`, `StorageClass`, `Tagging`, ...
   * @default {}
   */
  readonly putObjectParams?: PutObjectParams;
}

/** Every option, the undefined ones included; frozen. */
export const s3SerdesDefaults = Object.freeze({
  bucket: undefined as string | undefined,
  keyPrefix: undefined as string | undefined,
  s3Client: undefined as S3ClientLike | undefined,
  putObjectParams: {} as PutObjectParams,
});

interface ResolvedSerdesOptions {
  readonly bucket: string;
  readonly keyPrefix: string;
  readonly s3Client: S3ClientLike | undefined;
  readonly putObjectParams: PutObjectParams;
  readonly policy: ReferencePolicy;
}

function resolveSerdesOptions(options: S3SerdesOptions, env: NodeJS.ProcessEnv): ResolvedSerdesOptions {
  const merged = mergeOptions(options, s3SerdesDefaults, 's3Serdes');
  const bucket = resolveBucket(merged.bucket, env, [DURABLE_CONTRACT.bucketEnv], 's3Serdes');
  const keyPrefix = resolveKeyPrefix(merged.keyPrefix, env, DURABLE_CONTRACT.prefixEnv, DURABLE_CONTRACT.defaultPrefix, true);
  if (keyPrefix === '') throw new TypeError('keyPrefix must not be empty: durable values need a prefix of their own');
  checkS3Client('s3Client', merged.s3Client);
  if (typeof merged.putObjectParams !== 'object' || merged.putObjectParams === null) {
    throw new TypeError('putObjectParams must be an object');
  }
  // Its own checkpoints, one reference each: whatever size serialize stored must read back (a step's value is already in
  // memory once; a V8 string, hence a JSON text, is under 2^29 characters anyway).
  const policy: ReferencePolicy = {
    buckets: [bucket],
    keyPrefix,
    maxResolveBytes: Number.MAX_SAFE_INTEGER,
    maxReferences: 1,
    maxResolveTotalBytes: Number.MAX_SAFE_INTEGER,
  };
  return { bucket, keyPrefix, s3Client: merged.s3Client, putObjectParams: merged.putObjectParams, policy };
}

/**
 * The key of a step's stored value: `<keyPrefix><sha256(durableExecutionArn)>/<sha256(entityId)>.json`,
 * hex. Hashed because locally the ARN is a bare UUID and entity ids are
 * counters (`1`, `2-1`): neither is a key by itself, and the pair must name one
 * object per step of one execution. One folder per execution.
 */
export function durableKey(keyPrefix: string, context: DurableSerdesContext): string {
  const hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
  return `${keyPrefix}${hex(context.durableExecutionArn)}/${hex(context.entityId)}.json`;
}

/**
 * A serdes for Lambda durable functions whose values may be larger than a
 * checkpoint (262,144 bytes): a value whose checkpoint, with the 19-byte
 * wrapper `{"lambdaS3Inline":...}`, fits is kept inline; a larger one is
 * stored in S3 (its JSON text, `application/json`) and the checkpoint holds
 * the offload reference (`{"lambdaS3Offload":{...}}`, about 400 bytes). Reading
 * checks the reference as `resolveOffloaded` does (bucket, key prefix, size,
 * SHA-256). A step serialized again (a retry before its checkpoint, a child
 * context re-run on replay) writes the same key: never a second object.
 * Values are JSON: what `JSON.stringify` drops or changes is dropped or
 * changed, as with the SDK's default serdes.
 *
 * It needs no runtime import of the durable SDK. A failure to store or read
 * (`OffloadStoreError`, `OffloadLoadError`, `OffloadIntegrityError`,
 * `OffloadReferenceError`) is thrown from `serialize` or `deserialize`, which
 * the SDK reports as a serdes failure of the step.
 *
 * @param options - see {@link S3SerdesOptions}; all optional
 * @returns the serdes: give it to `context.configureSerdes({ defaultSerdes })` or a step's `{ serdes }`
 * @throws TypeError at creation, naming an option of the wrong type or an unknown one
 * @throws SpillConfigurationError at creation, when there is no bucket
 * @example
 * ```ts
 * import { withDurableExecution } from '@aws/durable-execution-sdk-js';
 * import { s3Serdes } from 'lambda-s3-spill/offload';
 *
 * const serdes = s3Serdes({ bucket: 'my-spill-bucket' });
 * export const handler = withDurableExecution(async (event: { id: string }, context) => {
 *   context.configureSerdes({ defaultSerdes: serdes });
 *   const rows = await context.step('load', async () => Array.from({ length: 100_000 }, (_, i) => ({ i, id: event.id })));
 *   await context.wait({ seconds: 60 });
 *   return context.step('count', async () => rows.length);
 * });
 * ```
 */
export function s3Serdes<T = unknown>(options: S3SerdesOptions = {}): DurableSerdes<T> {
  const opts = resolveSerdesOptions(options, process.env);

  async function s3SerdesSerialize(value: T | undefined, context: DurableSerdesContext): Promise<string | undefined> {
    if (value === undefined) return undefined;
    const text = JSON.stringify(value) as string | undefined;
    if (text === undefined) return undefined; // a function or a symbol: nothing to keep, as JSON.stringify says
    const inline = `${INLINE_OPEN}${text}}`;
    if (Buffer.byteLength(inline, 'utf8') <= DURABLE_CHECKPOINT_MAX_BYTES) return inline;
    const { storeValue } = await import('./store.js');
    const client = await clientOrDefault(opts.s3Client); // after store.js: one SDK import at a time
    const reference = await storeValue({
      client,
      bucket: opts.bucket,
      key: durableKey(opts.keyPrefix, context),
      text,
      params: opts.putObjectParams,
      abortSignal: undefined,
    });
    return JSON.stringify(reference);
  }

  async function s3SerdesDeserialize(data: string | undefined, _context: DurableSerdesContext): Promise<T | undefined> {
    if (data === undefined) return undefined;
    let checkpoint: unknown;
    try {
      checkpoint = JSON.parse(data);
    } catch (error) {
      throw notOurs(error);
    }
    if (typeof checkpoint === 'object' && checkpoint !== null && !Array.isArray(checkpoint)) {
      const keys = Object.keys(checkpoint);
      if (keys.length === 1 && keys[0] === DURABLE_INLINE_KEY) return (checkpoint as Record<string, T>)[DURABLE_INLINE_KEY];
    }
    if (!looksLikeReference(checkpoint)) throw notOurs(undefined);
    const plan = planResolve(checkpoint, opts.policy);
    const refused = refusal(plan);
    if (refused !== undefined) throw refused;
    const { resolveReferences } = await import('./load.js');
    const client = await clientOrDefault(opts.s3Client); // after load.js: one SDK import at a time
    return (await resolveReferences(checkpoint, plan, client, undefined)).value as T;
  }

  return { serialize: s3SerdesSerialize, deserialize: s3SerdesDeserialize };
}

function notOurs(cause: unknown): OffloadReferenceError {
  return new OffloadReferenceError('A checkpoint is not one s3Serdes wrote', {
    cause: new Error(`expected {"${DURABLE_INLINE_KEY}":...} or {"${OFFLOAD_REFERENCE_KEY}":...}`, { cause }),
  });
}
