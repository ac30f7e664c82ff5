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
import { checkPutObjectParams, type LocationRules, mergeOptions, resolveLocation, type ResolvedS3Location } from '../options/resolve.js';
import { S3_LOCATION_DEFAULTS, type S3LocationOptions } from '../options/shared.js';
import { clientOrDefault } from '../s3/client.js';
import type { PutObjectParams } from '../s3/store.js';
import type { DurableSerdes, DurableSerdesContext } from '../types/durable.js';
import { OffloadReferenceError } from './errors.js';
import { planResolve, refusal } from './plan.js';
import { looksLikeReference, OFFLOAD_REFERENCE_KEY, type ReferencePolicy } from './reference.js';

/** The one key of an inline checkpoint. */
export const DURABLE_INLINE_KEY = 'lambdaS3Inline';

const INLINE_OPEN = `{"${DURABLE_INLINE_KEY}":`;

/**
 * Options of {@link s3Serdes}. Every one is optional.
 *
 * `bucket` is the bucket large values are stored in, and the only one
 * references are read from. `keyPrefix` must not be empty: give it its own
 * lifecycle rule, longer than an execution may last (`SpillBucket`'s
 * `durableExpiration`).
 */
export interface S3SerdesOptions extends S3LocationOptions {
  /**
   * Extra `PutObject` parameters: `ServerSideEncryption`, `SSEKMSKeyId`, `StorageClass`, `Tagging`, ...
   * @default {}
   */
  readonly putObjectParams?: PutObjectParams;
}

/** Every option, the undefined ones included; frozen. */
export const s3SerdesDefaults = Object.freeze({
  ...S3_LOCATION_DEFAULTS,
  putObjectParams: {} as PutObjectParams,
});

interface ResolvedSerdesOptions extends ResolvedS3Location {
  readonly putObjectParams: PutObjectParams;
  readonly policy: ReferencePolicy;
}

/** The references read back are the serdes' own: their prefix bounds them, and holds nothing else. */
const DURABLE_LOCATION: LocationRules = {
  ...DURABLE_CONTRACT,
  bucketEnvs: [DURABLE_CONTRACT.bucketEnv],
  read: true,
  nonEmpty: 'durable values need a prefix of their own',
};

function resolveSerdesOptions(options: S3SerdesOptions, env: NodeJS.ProcessEnv): ResolvedSerdesOptions {
  const merged = mergeOptions(options, s3SerdesDefaults, 's3Serdes');
  const location = resolveLocation(merged, env, DURABLE_LOCATION, 's3Serdes');
  checkPutObjectParams(merged.putObjectParams);
  // Its own checkpoints, one reference each: whatever size serialize stored must read back (a step's value is already in
  // memory once; a V8 string, hence a JSON text, is under 2^29 characters anyway).
  const policy: ReferencePolicy = {
    buckets: [location.bucket],
    keyPrefix: location.keyPrefix,
    maxResolveBytes: Number.MAX_SAFE_INTEGER,
    maxReferences: 1,
    maxResolveTotalBytes: Number.MAX_SAFE_INTEGER,
  };
  return { ...location, putObjectParams: merged.putObjectParams, policy };
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
