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
import { defaultKey } from '../s3/keys.js';
import type { MiddyLikeRequest } from '../types/middy.js';
import { OffloadReferenceError } from './errors.js';
import { type ResolvedOffloadOptions, resolveOffloadOptions, type S3OffloadOptions } from './options.js';
import { isHttpEvent, planOffload, planResolve, type ResolvePlan } from './plan.js';
import { looksLikeReference } from './reference.js';

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
   * Replace an oversized `request.response` by a reference. Synchronous
   * (`undefined`) when it passes.
   *
   * @throws OffloadStoreError, OffloadTimeoutError (as rejections); TypeError from `JSON.stringify`
   */
  after(request: MiddyLikeRequest): Promise<void> | undefined;
}


/**
 * The refusal of a plan, as the error to throw: generic for the caller, the
 * problem (which may name a bucket or key) as the `cause`, for the logs.
 */
export function refusal(plan: ResolvePlan): OffloadReferenceError | undefined {
  if (plan.refused === undefined) return undefined;
  const where = plan.refused.path.length === 0 ? 'the value' : `at ${JSON.stringify(plan.refused.path)}`;
  return new OffloadReferenceError('An offload reference was refused', { cause: new Error(`${where}: ${plan.refused.problem}`) });
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
  const [{ resolveReferences }, client] = await Promise.all([import('./load.js'), clientOrDefault(opts.s3Client)]);
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

  async function resolveEvent(request: MiddyLikeRequest, plan: ResolvePlan): Promise<void> {
    const started = performance.now();
    const deadline = plan.refused === undefined ? deadlineOf(request) : undefined;
    try {
      const [resolved] = await Promise.all([resolveWith(request.event, plan, opts, deadline?.signal), own?.load()]);
      request.event = resolved.value;
      logger.debug('s3Offload resolved the references of the event', {
        offloadResolve: { references: plan.allowed.length, objects: resolved.objects, bytes: resolved.bytes, durationMs: ms(started) },
      });
      emitOutcome(opts.metrics, logger, 'offload', 'Resolved', resolved.objects, resolved.bytes);
    } finally {
      deadline?.clear();
    }
  }

  function after(request: MiddyLikeRequest): Promise<void> | undefined {
    const result: unknown = request.response;
    if (looksLikeReference(result)) return undefined; // a reference passed on: never a reference to a reference
    const plan = planOffload(request.event, result, opts.maxBytes, false);
    if (plan.kind === 'offload') return offload(request, result, 'over');
    if (plan.why !== 'it fits' || plan.measure === undefined) return undefined;
    if (alwaysConfigured && decideFlag('alwaysOffload', undefined, opts.alwaysOffload, request)) return offload(request, result, 'always');
    return warnIfNear(result, plan.measure);
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
    const key = `${opts.keyPrefix}${defaultKey()}.json`;
    const [{ storeValue }, client] = await Promise.all([import('./store.js'), clientOrDefault(opts.s3Client), own?.load()]);
    const deadline = deadlineOf(request);
    try {
      const reference = await storeValue({
        client,
        bucket: opts.bucket,
        key,
        text,
        params: opts.putObjectParams,
        abortSignal: deadline?.signal,
      });
      request.response = reference;
      const pointer = reference.lambdaS3Offload;
      logger.info('s3Offload stored a result in S3', {
        offload: { bucket: pointer.bucket, key: pointer.key, bytes: pointer.bytes, reason: why, durationMs: ms(started) },
      });
      emitOutcome(opts.metrics, logger, 'offload', 'Offloaded', 1, pointer.bytes);
    } finally {
      deadline?.clear();
    }
  }

  return { opts, logger, before, after };
}

function ms(started: number): number {
  return Math.round(performance.now() - started);
}
