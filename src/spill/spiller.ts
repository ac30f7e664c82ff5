/**
 * What both doors (`s3Spill` and `withS3Spill`) run on a result: read the
 * request, take the `X-S3-Spill` header, measure, plan, and carry the plan out.
 * One behaviour, two doors.
 *
 * @module core/spiller
 */
import { describeRequest, frontDoorOf, requestHeader } from '../http/events.js';
import { isHttpResult, isStreamBody } from '../http/result.js';
import { wantsReference } from '../http/reference.js';
import { isStreamBodyKind } from '../http/stream-body.js';
import { PRESIGNED_URL_SAFE_EXPIRES_IN, responseMaxBytes } from '../limits.js';
import { type ResolvedOptions, resolveOptions, type S3SpillOptions, type SpillLogger } from './options.js';
import { callUser, decideFlag } from '../options/per-request.js';
import { configurationProblem, SpillConfigurationError } from '../errors/base.js';
import { environmentEndpointProblem } from '../s3/endpoint-guard.js';
import { parseSpillControl, type SpillControl, takeSpillControl } from './spill-control.js';
import { measurePayload, payloadBytesUpperBound } from '../sizing/payload-bytes.js';
import { reuseLifetimeProblem } from './reuse-window.js';
import { bytesOverWarnAt, warnAtFor } from '../sizing/warn-at.js';
import type { MiddyLikeRequest } from '../types/middy.js';
import { defaultLogger } from '../logging/default-logger.js';
import { millisUntilDeadline } from '../lambda/deadline.js';
import type { PlanSettings } from './plan.js';

/** One configured core, shared by the requests of a door. */
export interface Spiller {
  /** The resolved options. */
  readonly opts: ResolvedOptions;
  /** The logger (the option's, or the default Powertools Logger). */
  readonly logger: SpillLogger;
  /**
   * Replace `request.response` with what may be returned. Synchronous (returns
   * `undefined`) when the result passes, the common case; else a promise.
   *
   * @throws S3SpillError (as a rejection) when the result cannot be returned or spilled
   */
  process(request: MiddyLikeRequest): Promise<void> | undefined;
}

/**
 * Configure a core.
 *
 * @throws TypeError naming an option of the wrong type or range
 * @throws SpillConfigurationError when there is no bucket, or a deployed function has a local S3 endpoint
 */
export function createSpiller(options: S3SpillOptions, env: NodeJS.ProcessEnv = process.env): Spiller {
  const opts = resolveOptions(options, env);
  // Production guard (issue 14): a deployed function with a loopback or private S3 endpoint fails at creation.
  const endpointProblem = environmentEndpointProblem(env);
  if (endpointProblem !== undefined) throw new SpillConfigurationError(endpointProblem);
  const own = opts.logger === undefined ? defaultLogger(env) : undefined;
  const logger: SpillLogger = opts.logger ?? own!;
  if (opts.expiresIn > PRESIGNED_URL_SAFE_EXPIRES_IN) {
    logger.warn(`s3Spill expiresIn is ${opts.expiresIn} s: a URL signed with the role's temporary credentials may expire earlier`);
  }
  const alwaysConfigured = opts.alwaysSpill !== false;
  // Reuse asked for by a response header is honoured only when URLs cannot outlive reused objects.
  const reuseSafe = reuseLifetimeProblem(opts.expiresIn, opts.lifecycleDays) === undefined;
  const compressibleTypes = opts.compressibleTypes;
  const settings: PlanSettings = {
    encodings: opts.encodings,
    // A predicate is a user callback: what it throws or a non-boolean answer is a SpillConfigurationError, as for the others.
    compressibleTypes:
      typeof compressibleTypes === 'function'
        ? (mediaType: string) => {
            const answer: unknown = callUser('compressibleTypes', () => compressibleTypes(mediaType));
            if (typeof answer !== 'boolean') throw configurationProblem('The compressibleTypes function must return a boolean');
            return answer;
          }
        : compressibleTypes,
    reference: opts.reference,
    streaming: opts.streaming,
    compressInlineOnRestApi: opts.compressInlineOnRestApi,
  };

  /** Read and remove the `X-S3-Spill` header; unknown tokens are logged and ignored. */
  function takeControl(request: MiddyLikeRequest): SpillControl {
    const taken = takeSpillControl(request.response);
    if (taken.value === undefined) return {};
    request.response = taken.result;
    const { control, unknown } = parseSpillControl(taken.value);
    if (unknown.length > 0) logger.warn('s3Spill ignored unknown X-S3-Spill tokens', { tokens: unknown });
    return control;
  }

  function processResult(request: MiddyLikeRequest): Promise<void> | undefined {
    const changed = decide(request);
    // A line waiting for the logger's module (a warning at creation, unknown tokens): written before this invocation returns.
    return changed ?? own?.pending();
  }

  function decide(request: MiddyLikeRequest): Promise<void> | undefined {
    const frontDoor = frontDoorOf(request.event);
    if (frontDoor === 'unknown') return undefined;
    let control: SpillControl = {};
    let stringBody = true;
    if (isHttpResult(request.response)) {
      const body: unknown = request.response.body;
      stringBody = body === undefined || body === null || typeof body === 'string';
      // Lambda response streaming: sent as it is, unless streamSpillBytes asks to hold some first.
      // In a buffered function a stream (or bytes) is read, below.
      if (!stringBody && opts.streaming && opts.streamSpillBytes === undefined && isStreamBodyKind(body) && !(body instanceof Uint8Array)) {
        // Middy pipes a Readable or a web stream; an async iterable becomes a Readable it can pipe.
        // The builtin is taken on use: an ESM bundle hoists a static import of it to its top, paid by every cold start.
        if (!isStreamBody(body)) request.response = { ...request.response, body: process.getBuiltinModule('node:stream').Readable.from(body as AsyncIterable<unknown>, { objectMode: false }) };
        return undefined;
      }
      control = takeControl(request);
    }
    const platformMaxBytes = responseMaxBytes(frontDoor, opts.streaming);
    const maxBytes = Math.min(opts.maxBytes ?? platformMaxBytes, platformMaxBytes);
    const streamHeld = opts.streaming && opts.streamSpillBytes !== undefined;
    if (!streamHeld && !alwaysConfigured && control.always !== true && stringBody) {
      const upper = payloadBytesUpperBound(request.response);
      if (upper <= maxBytes) {
        warnIfNear(request, { bytes: upper, exact: false }, maxBytes);
        return undefined;
      }
    }
    return decideAndRun(request, control, maxBytes, platformMaxBytes);
  }

  /** One warning for a response that passes over `warnAtBytes` (the line is written before the invocation returns). */
  function warnIfNear(request: MiddyLikeRequest, known: { bytes: number; exact: boolean }, maxBytes: number): void {
    const warnAtBytes = warnAtFor(opts.warnAtBytes, maxBytes);
    const bytes = bytesOverWarnAt(request.response, known, warnAtBytes);
    if (bytes === undefined) return;
    logger.warn('s3Spill response near the limit', {
      nearLimit: { frontDoor: frontDoorOf(request.event), bytes, maxBytes, warnAtBytes },
    });
  }

  async function decideAndRun(
    request: MiddyLikeRequest,
    control: SpillControl,
    maxBytes: number,
    platformMaxBytes: number,
  ): Promise<void> {
    try {
      await planAndRun(request, control, maxBytes, platformMaxBytes);
    } catch (error) {
      // The door logs what it cannot send: the logger is ready before the error reaches it, so that line is synchronous too.
      await own?.load();
      throw error;
    } finally {
      await own?.pending();
    }
  }

  async function planAndRun(
    request: MiddyLikeRequest,
    control: SpillControl,
    maxBytes: number,
    platformMaxBytes: number,
  ): Promise<void> {
    const result: unknown = request.response;
    const info = {
      ...describeRequest(request.event),
      acceptEncoding: requestHeader(request.event, 'accept-encoding'),
      wantsReference: opts.reference && wantsReference(request.event),
    };
    const millisLeft = (): number | undefined =>
      millisUntilDeadline({
        context: request.context,
        info,
        integrationTimeoutInMillis: opts.integrationTimeoutInMillis,
        timeoutEarlyInMillis: opts.timeoutEarlyInMillis,
        now: Date.now(),
      });
    const held = opts.streaming && opts.streamSpillBytes !== undefined;
    // A streaming function's bodies are read only to hold streamSpillBytes; a buffered function's always.
    if (isHttpResult(result) && (!opts.streaming || held) && (isStreamBodyKind(result.body) || (held && typeof result.body === 'string'))) {
      // A string body of a streaming function is sent as its UTF-8 bytes (Middy writes it as is).
      const body = typeof result.body === 'string' ? Buffer.from(result.body, 'utf8') : result.body;
      const [{ spillableWhenItFits }, { planStreamResponse }] = await Promise.all([import('./plan.js'), import('./stream-plan.js')]);
      const plan = planStreamResponse({
        result,
        request: info,
        switches: {
          always: spillableWhenItFits(result, info) && decideFlag('alwaysSpill', control.always, opts.alwaysSpill, request),
          spill: control.spill ?? true,
          compress: decideFlag('compress', control.compress, opts.compress, request),
          reuse: false,
        },
        settings,
        maxBytes,
        platformMaxBytes,
        streamSpillBytes: opts.streamSpillBytes,
      });
      const [{ executeStreamPlan }] = await Promise.all([import('./execute-stream.js'), own?.load()]);
      const measure = { fits: false, bytes: 0, exact: false };
      const job = { request, result, info, measure, maxBytes, platformMaxBytes, opts, logger, millisLeft };
      request.response = await executeStreamPlan(plan, job, body);
      return;
    }
    // The plans load with the first result the size bound cannot pass (with them the coding negotiation): a response that fits never needs them.
    const { planResponse, spillableWhenItFits } = await import('./plan.js');
    const measure = measurePayload(result, maxBytes);
    // Only alwaysSpill can change a result that fits; its function is asked only when it could matter.
    const always =
      measure.fits && !spillableWhenItFits(result, info) ? false : decideFlag('alwaysSpill', control.always, opts.alwaysSpill, request);
    const decided = measure.fits && !always;
    const compress = decided ? false : decideFlag('compress', control.compress, opts.compress, request);
    let reuse = decided ? false : decideFlag('reuse', control.reuse, opts.reuse, request);
    if (reuse && !reuseSafe) {
      logger.warn('s3Spill did not reuse: expiresIn is too long for lifecycleDays (see the reuse option)');
      reuse = false;
    }
    const plan = planResponse({
      result,
      request: info,
      switches: { always, spill: control.spill ?? true, compress, reuse },
      settings,
      maxBytes,
      platformMaxBytes,
      measure,
    });
    if (plan.kind === 'pass') {
      if (measure.fits) warnIfNear(request, measure, maxBytes);
      return;
    }
    // Loaded on first use: what only a changed response needs (the S3 client, zlib streams, the default logger) stays out of cold starts.
    const [{ executePlan }] = await Promise.all([import('./execute.js'), own?.load()]);
    request.response = await executePlan(plan, {
      request,
      result,
      info,
      measure,
      maxBytes,
      platformMaxBytes,
      opts,
      logger,
      millisLeft,
    });
  }

  return { opts, logger, process: processResult };
}
