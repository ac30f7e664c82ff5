/**
 * What both doors (`s3Offload` and `withS3Offload`) run: in `before`, the
 * event's references replaced by their values; in `after`, an oversized
 * result replaced by a reference. The decisions are `plan.ts`'s; the S3 work
 * (`store.ts`, `load.ts`) is loaded on first use.
 *
 * @module offload/offloader
 */
import { deadlineSignal, millisUntilDeadline } from '../lambda/deadline.js';
import { defaultLogger } from '../logging/default-logger.js';
import { emitOutcome } from '../logging/metrics.js';
import type { PayloadMeasure } from '../sizing/payload-bytes.js';
import { bytesOverWarnAt, warnAtFor } from '../sizing/warn-at.js';
import { describeRequest } from '../http/events.js';
import { clientOrDefault } from '../s3/client.js';
import type { SpillLogger } from '../logging/default-logger.js';
import { decideFlag } from '../options/per-request.js';
import { redactedCause } from '../errors/redact.js';
import { defaultKey } from '../s3/keys.js';
import { type DeletedObject, deleteObjects } from '../s3/delete.js';
import type { MiddyLikeRequest } from '../types/middy.js';
import { type ResolvedOffloadOptions, resolveOffloadOptions, type S3OffloadOptions } from './options.js';
import { formatValuePath } from './paths.js';
import { isHttpEvent, type OffloadPlan, type PathSelection, planOffload, planResolve, refusal, type ResolvePlan } from './plan.js';
import { looksLikeReference, type OffloadReference, referenceBytes, replaceAt } from './reference.js';

/** Selected values stored at once. */
const STORE_CONCURRENCY = 4;

/** One configured core, shared by the invocations of a door. */
export interface Offloader {
  readonly opts: ResolvedOffloadOptions;
  readonly logger: SpillLogger;
  /**
   * Replace the references in `request.event` by their values. Synchronous
   * (`undefined`) when there are none.
   *
   * @throws OffloadReferenceError, OffloadIntegrityError, OffloadLoadError, OffloadTimeoutError (as rejections)
   */
  before(request: MiddyLikeRequest): Promise<void> | undefined;
  /**
   * Replace an oversized `request.response` by a reference; then, with
   * `deleteAfterUse` and unless `settled` is `false` (an error is being
   * handled), delete the objects `before` resolved. Synchronous (`undefined`)
   * when there is nothing to do.
   *
   * @throws OffloadStoreError, OffloadTimeoutError (as rejections); TypeError from `JSON.stringify`
   */
  after(request: MiddyLikeRequest, settled?: boolean): Promise<void> | undefined;
}

/** The distinct objects of a plan's references. */
export function objectsOf(plan: ResolvePlan): DeletedObject[] {
  const objects = new Map<string, DeletedObject>();
  for (const { pointer } of plan.allowed) objects.set(JSON.stringify([pointer.bucket, pointer.key]), { bucket: pointer.bucket, key: pointer.key });
  return [...objects.values()];
}

/**
 * Delete what a resolution read (`deleteAfterUse`). Never rejects: an object
 * that could not be deleted is a `warn` record, and the lifecycle rule's.
 */
export async function deleteUsed(
  objects: readonly DeletedObject[],
  opts: ResolvedOffloadOptions,
  logger: SpillLogger,
  signal: AbortSignal | undefined,
): Promise<void> {
  const client = await clientOrDefault(opts.s3Client);
  const failed = await deleteObjects(client, objects, signal);
  for (const { bucket, key, error } of failed) {
    logger.warn('s3Offload could not delete a resolved object (the lifecycle rule will)', {
      offloadDelete: { bucket, key, error: redactedCause(error) },
    });
  }
  logger.debug('s3Offload deleted the resolved objects', { offloadDelete: { objects: objects.length - failed.length, failed: failed.length } });
}


/**
 * Read every reference of a value under a policy, before `signal` fires.
 *
 * @returns the value with its references replaced, and what was read
 */
export async function resolveWith(
  value: unknown,
  plan: ResolvePlan,
  opts: ResolvedOffloadOptions,
  signal: AbortSignal | undefined,
): Promise<{ value: unknown; objects: number; bytes: number }> {
  const refused = refusal(plan);
  if (refused !== undefined) throw refused;
  // One dynamic import after the other: they share the SDK, and an ESM loader may link a shared module only once.
  const { resolveReferences } = await import('./load.js');
  const client = await clientOrDefault(opts.s3Client);
  return resolveReferences(value, plan, client, signal);
}

/**
 * Configure a core.
 *
 * @throws TypeError naming an option of the wrong type or range
 * @throws SpillConfigurationError when there is no bucket
 */
export function createOffloader(options: S3OffloadOptions, env: NodeJS.ProcessEnv = process.env, name = 's3Offload'): Offloader {
  const opts = resolveOffloadOptions(options, env, name);
  // The default logger loads with the S3 code, so each line below is written synchronously.
  const own = opts.logger === undefined ? defaultLogger(env) : undefined;
  const logger: SpillLogger = opts.logger ?? own!;
  const alwaysConfigured = opts.alwaysOffload !== false;
  const warnAtBytes = warnAtFor(opts.warnAtBytes, opts.maxBytes);

  const deadlineOf = (request: MiddyLikeRequest) =>
    deadlineSignal(
      millisUntilDeadline({
        context: request.context,
        info: describeRequest(request.event),
        integrationTimeoutInMillis: undefined,
        timeoutEarlyInMillis: opts.timeoutEarlyInMillis,
        now: Date.now(),
      }),
    );

  function before(request: MiddyLikeRequest): Promise<void> | undefined {
    if (isHttpEvent(request.event)) return undefined;
    const plan = planResolve(request.event, opts.policy);
    if (plan.allowed.length === 0 && plan.refused === undefined) return undefined;
    return resolveEvent(request, plan);
  }

  /** The objects `before` resolved, per invocation, for `deleteAfterUse`. */
  const used = new WeakMap<MiddyLikeRequest, readonly DeletedObject[]>();

  async function resolveEvent(request: MiddyLikeRequest, plan: ResolvePlan): Promise<void> {
    const started = performance.now();
    const deadline = plan.refused === undefined ? deadlineOf(request) : undefined;
    try {
      const [resolved] = await Promise.all([resolveWith(request.event, plan, opts, deadline?.signal), own?.load()]);
      request.event = resolved.value;
      if (opts.deleteAfterUse) used.set(request, objectsOf(plan));
      logger.debug('s3Offload resolved the references of the event', {
        offloadResolve: { references: plan.allowed.length, objects: resolved.objects, bytes: resolved.bytes, durationMs: ms(started) },
      });
      emitOutcome(opts.metrics, logger, 'offload', 'Resolved', resolved.objects, resolved.bytes);
    } finally {
      deadline?.clear();
    }
  }

  const selection: PathSelection | undefined =
    opts.paths === undefined
      ? undefined
      : { paths: opts.paths, referenceBytes: (bytes) => referenceBytes(opts.bucket, opts.keyPrefix, bytes) };

  function after(request: MiddyLikeRequest, settled = true): Promise<void> | undefined {
    const stored = store(request);
    const objects = settled ? used.get(request) : undefined;
    if (objects === undefined) return stored;
    used.delete(request);
    return (async () => {
      await stored; // a failed store fails the invocation: nothing is deleted, a retry reads them again
      const deadline = deadlineOf(request);
      try {
        await deleteUsed(objects, opts, logger, deadline?.signal);
      } finally {
        deadline?.clear();
      }
    })();
  }

  function store(request: MiddyLikeRequest): Promise<void> | undefined {
    const result: unknown = request.response;
    if (looksLikeReference(result)) return undefined; // a reference passed on: never a reference to a reference
    let plan = planOffload(request.event, result, opts.maxBytes, false, selection);
    if (plan.kind === 'pass' && plan.why === 'it fits' && plan.measure !== undefined) {
      if (!alwaysConfigured || !decideFlag('alwaysOffload', undefined, opts.alwaysOffload, request)) return warnIfNear(result, plan.measure);
      plan = planOffload(request.event, result, opts.maxBytes, true, selection);
    }
    if (plan.kind === 'pass') return undefined;
    if (plan.kind === 'offload') return offload(request, result, plan.why);
    return offloadValues(request, result, plan);
  }

  /** One warning for a result that passes over `warnAtBytes`; a line waiting for the default logger is written before the phase returns. */
  function warnIfNear(result: unknown, measure: PayloadMeasure): Promise<void> | undefined {
    const bytes = bytesOverWarnAt(result, measure, warnAtBytes);
    if (bytes === undefined) return undefined;
    logger.warn('s3Offload result near the limit', { nearLimit: { bytes, maxBytes: opts.maxBytes, warnAtBytes } });
    return own?.pending();
  }

  async function offload(request: MiddyLikeRequest, result: unknown, why: 'over' | 'always'): Promise<void> {
    const started = performance.now();
    const text = (JSON.stringify(result === undefined ? null : result) as string | undefined) ?? 'null';
    const [{ storeValue }] = await Promise.all([import('./store.js'), own?.load()]);
    const client = await clientOrDefault(opts.s3Client); // after store.js: one SDK import at a time
    const deadline = deadlineOf(request);
    try {
      const reference = await storeValue({ client, bucket: opts.bucket, key: newKey(), text, params: opts.putObjectParams, abortSignal: deadline?.signal });
      request.response = reference;
      logStored(reference, why, started);
    } finally {
      deadline?.clear();
    }
  }

  /** Store each planned value (a few at a time) and put its reference in its place; all or nothing. */
  async function offloadValues(request: MiddyLikeRequest, result: unknown, plan: Extract<OffloadPlan, { kind: 'offload-paths' }>): Promise<void> {
    const started = performance.now();
    const [{ storeValue }] = await Promise.all([import('./store.js'), own?.load()]);
    const client = await clientOrDefault(opts.s3Client); // after store.js: one SDK import at a time
    const deadline = deadlineOf(request);
    const references: OffloadReference[] = new Array(plan.values.length);
    let next = 0;
    let failed = false;
    const worker = async (): Promise<void> => {
      while (!failed && next < plan.values.length) {
        const i = next++;
        const text = JSON.stringify(plan.values[i]!.value) as string;
        try {
          references[i] = await storeValue({ client, bucket: opts.bucket, key: newKey(), text, params: opts.putObjectParams, abortSignal: deadline?.signal });
        } catch (error) {
          failed = true; // start nothing new: the invocation fails anyway
          throw error;
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(STORE_CONCURRENCY, plan.values.length) }, worker));
    } finally {
      deadline?.clear();
    }
    request.response = replaceAt(
      result,
      plan.values.map(({ path }, i) => ({ path, value: references[i] })),
    );
    plan.values.forEach(({ path }, i) => logStored(references[i]!, plan.why, started, formatValuePath(path)));
  }

  function newKey(): string {
    return `${opts.keyPrefix}${defaultKey()}.json`;
  }

  function logStored(reference: OffloadReference, why: 'over' | 'always', started: number, path?: string): void {
    const { bucket, key, bytes } = reference.lambdaS3Offload;
    logger.info('s3Offload stored a result in S3', {
      offload: { bucket, key, bytes, reason: why, durationMs: ms(started), ...(path === undefined ? {} : { path }) },
    });
    emitOutcome(opts.metrics, logger, 'offload', 'Offloaded', 1, bytes);
  }

  return { opts, logger, before, after };
}

function ms(started: number): number {
  return Math.round(performance.now() - started);
}
