/**
 * Carrying a plan out: compress, upload, sign, build the answer, log the
 * record. Everything that touches S3, zlib or the clock is here; this module is
 * loaded on the first response that needs it, so a function whose responses fit
 * never loads the S3 client.
 *
 * @module spill/execute
 */
import { type Compressed, compressionBudget, compressResponse } from '../compression/compress-response.js';
import type { ContentCoding } from '../compression/encodings.js';
import { configurationProblem, type S3SpillError, SpillConfigurationError } from '../errors/base.js';
import { invalidResponse, ResponseTooLargeError, SpillTimeoutError, SpillUploadError } from './errors.js';
import { headResponse, referenceResponse, seeOther } from '../http/answers.js';
import { type ContentHeaders, type SpillBody, spillBodyOf } from '../http/body.js';
import { REFERENCE_MEDIA_TYPE } from '../http/reference.js';
import type { HttpResult } from '../http/result.js';
import { clientEndpointProblem } from '../s3/endpoint-guard.js';
import { emitOutcome } from '../logging/metrics.js';
import { objectParamsFor } from './object-options.js';
import type { ResolvedOptions, SpillLogger } from './options.js';
import { payloadBytes, type PayloadMeasure } from '../sizing/payload-bytes.js';
import { storeOnce } from './content-address.js';
import { contentKey } from './reuse-window.js';
import { classifyS3Failure } from '../s3/failure.js';
import { storeObject } from '../s3/store.js';
import { bucketFor, keyPrefixFor, objectKey, referenceDocument, signUrl, uploadClientFor } from './spill-target.js';
import type { MiddyLikeRequest } from '../types/middy.js';
import { beforeDeadline, deadlineSignal } from '../lambda/deadline.js';
import type { Plan, PlanRequest, SpillStep } from './plan.js';

/** What carrying out a plan needs besides the plan. */
export interface Job {
  readonly request: MiddyLikeRequest;
  /** The result, without its `X-S3-Spill` header. */
  readonly result: unknown;
  readonly info: PlanRequest;
  readonly measure: PayloadMeasure;
  readonly maxBytes: number;
  readonly platformMaxBytes: number;
  readonly opts: ResolvedOptions;
  readonly logger: SpillLogger;
  /** Milliseconds from now until the upload must stop (read anew on each call); `undefined`: no deadline. */
  readonly millisLeft: () => number | undefined;
}

/**
 * Carry out a plan that changes the result (`drop-body`, `reject`, `compress`,
 * `spill`).
 *
 * @returns the answer to return in place of the result
 * @throws the plan's error for `reject`; the errors of a spill (see `s3Spill`)
 */
export async function executePlan(plan: Exclude<Plan, { kind: 'pass' }>, job: Job): Promise<unknown> {
  switch (plan.kind) {
    case 'reject':
      throw plan.error;
    case 'drop-body':
      job.logger.debug('s3Spill dropped the body of an oversized HEAD response', { bytesBefore: job.measure.bytes });
      return headResponse(plan.readBy);
    case 'compress':
    case 'spill':
      return compressOrSpill(plan, job);
  }
}

async function compressOrSpill(plan: Extract<Plan, { kind: 'compress' | 'spill' }>, job: Job): Promise<unknown> {
  const body = bodyOf(plan.spill, job);
  let stored = body;
  if (plan.coding !== undefined) {
    const inlineMaxBytes = plan.kind === 'compress' ? job.maxBytes : 0;
    const compressed = await compressBody(plan.spill, job, body, plan.coding, inlineMaxBytes);
    if (compressed?.inline !== undefined) return compressed.inline;
    if (plan.kind === 'compress' && plan.orElse === 'reject') {
      throw tooLarge('Spilling is off for this response', compressed?.inlineBytes ?? job.measure.bytes, job.maxBytes);
    }
    if (compressed !== undefined) stored = compressed.body;
  }
  return spill(plan.spill, job, stored);
}

/** The body as the client would get it; a body that is not valid base64 cannot be stored. */
function bodyOf(step: SpillStep, job: Job): SpillBody {
  const bare = step.readBy === undefined;
  const body = spillBodyOf(bare ? job.result : step.readBy, step.headers, bare);
  if (body === undefined) throw invalidResponse('The response has isBase64Encoded: true but its body is not valid base64');
  return body;
}

/**
 * The body compressed, with the inline answer when it fits `inlineMaxBytes`
 * (`0`: never inline). Compression gets half the time left before the upload
 * must stop; past that, or on any failure, the body is spilled as it is.
 */
async function compressBody(
  step: SpillStep,
  job: Job,
  body: SpillBody,
  coding: ContentCoding,
  inlineMaxBytes: number,
): Promise<Compressed | undefined> {
  const started = performance.now();
  let compressed: Compressed | undefined;
  try {
    compressed = await compressResponse(step.readBy, job.info, body, coding, inlineMaxBytes, compressionBudget(job.millisLeft()));
  } catch (error) {
    job.logger.warn('s3Spill could not compress (out of time, or failed); the body is spilled uncompressed', {
      coding,
      reason: (error as Error | undefined)?.name,
    });
    return undefined;
  }
  if (compressed === undefined) return undefined;
  const record = {
    frontDoor: job.info.frontDoor,
    contentEncoding: compressed.coding,
    bytesBefore: body.bytes.length,
    bytesAfter: compressed.body.bytes.length,
    durationMs: Math.round(performance.now() - started),
  };
  if (compressed.inline !== undefined) {
    job.logger.info('s3Spill compressed an oversized response to fit inline', { compression: record });
    emitOutcome(job.opts.metrics, job.logger, 'spill', 'CompressedInline', 1, record.bytesAfter);
  } else {
    job.logger.debug('s3Spill compressed the body to spill', { compression: record });
  }
  return compressed;
}

/** Where a spilled body goes for one request: bucket, key prefix, object parameters and the upload client. */
export interface SpillTarget {
  readonly bucket: string;
  readonly keyPrefix: string;
  readonly object: ReturnType<typeof objectParamsFor>;
  readonly client: Awaited<ReturnType<typeof uploadClientFor>>;
}

/**
 * The target of a spill, checked before any upload (a client's own endpoint
 * resolves asynchronously, so the production guard of issue 14 runs here).
 *
 * @throws SpillConfigurationError from the per-request options, or for a local endpoint in a deployed function
 */
export async function spillTargetFor(job: Pick<Job, 'opts' | 'request'>): Promise<SpillTarget> {
  const { opts, request } = job;
  const bucket = bucketFor(opts, request);
  const keyPrefix = keyPrefixFor(opts, request);
  const object = objectParamsFor(opts, opts.putObjectParams, request);
  const client = await uploadClientFor(opts, bucket, request);
  // Production guard (issue 14): a client's own endpoint resolves asynchronously, so it is checked here, before any upload.
  const endpointProblem = await clientEndpointProblem(client);
  if (endpointProblem !== undefined) throw configurationProblem(endpointProblem);
  return { bucket, keyPrefix, object, client };
}

/** The URL of a stored object, before the deadline. @throws SpillConfigurationError from a presign hook; else a store failure */
export async function signBeforeDeadline(job: Job, target: SpillTarget, key: string, signal: AbortSignal | undefined): Promise<string> {
  try {
    return await beforeDeadline(signUrl(job.opts, job.request, target.client, target.bucket, key), signal);
  } catch (error) {
    if (error instanceof SpillConfigurationError) throw error; // a presign hook's answer, not an S3 failure
    throw storeFailure(error, signal, 'The response was stored but its URL could not be signed');
  }
}

/** The `303` (or reference) for a stored object, checked against the front door's limit. */
export function spillAnswer(step: SpillStep, job: Job, url: string, stored: ContentHeaders, objectBytes: number): HttpResult {
  const response =
    step.answer === 'reference'
      ? referenceResponse(step.readBy, job.info, REFERENCE_MEDIA_TYPE, referenceDocument(job.opts, url, stored, objectBytes))
      : seeOther(step.readBy, job.info, url);
  const bytesAfter = payloadBytes(response);
  if (bytesAfter > job.platformMaxBytes) {
    throw tooLarge('The headers and cookies alone are over the limit', bytesAfter, job.platformMaxBytes);
  }
  return response;
}

/** Store the body, sign its URL, answer with a `303` or a reference, log the record. */
async function spill(step: SpillStep, job: Job, stored: SpillBody): Promise<HttpResult> {
  const { opts, request } = job;
  const started = performance.now();
  const target = await spillTargetFor(job);
  const { bucket, keyPrefix, object, client } = target;
  const body: SpillBody =
    object.contentDisposition === undefined ? stored : { ...stored, contentDisposition: object.contentDisposition };
  let key = step.reuse ? contentKey(keyPrefix, body, object.params, new Date(), opts.expiresIn) : objectKey(opts, request, keyPrefix);
  let uploaded = true;
  const deadline = deadlineSignal(job.millisLeft());
  let url: string;
  try {
    const store = {
      client,
      bucket,
      key,
      body,
      params: object.params,
      multipartThreshold: opts.multipartThreshold,
      partSize: opts.partSize,
      queueSize: opts.queueSize,
      abortSignal: deadline?.signal,
    };
    try {
      if (step.reuse) {
        const once = storeOnce({
          ...store,
          fallbackKey: () => objectKey(opts, request, keyPrefix),
          expiresIn: opts.expiresIn,
          lifecycleDays: opts.lifecycleDays,
        });
        ({ key, uploaded } = await beforeDeadline(once, deadline?.signal));
      } else {
        await beforeDeadline(storeObject(store), deadline?.signal);
      }
    } catch (error) {
      if (error instanceof SpillConfigurationError) throw error; // the fallback key function's answer
      throw storeFailure(error, deadline?.signal, 'The response was too large to return and could not be stored');
    }
    url = await signBeforeDeadline(job, target, key, deadline?.signal);
  } finally {
    deadline?.clear();
  }
  const response = spillAnswer(step, job, url, body, body.bytes.length);
  const before = job.measure;
  job.logger.info('s3Spill stored an oversized response in S3', {
    spill: {
      frontDoor: job.info.frontDoor,
      bucket,
      key,
      reference: step.answer === 'reference',
      // The exact size when it was computed; else the bound that decided.
      [before.exact ? 'bytesBefore' : before.fits ? 'bytesBeforeAtMost' : 'bytesBeforeAtLeast']: before.bytes,
      bytesAfter: payloadBytes(response),
      objectBytes: body.bytes.length,
      contentEncoding: body.contentEncoding,
      ...(step.reuse ? { reused: !uploaded } : {}),
      durationMs: Math.round(performance.now() - started),
    },
  });
  emitOutcome(opts.metrics, job.logger, 'spill', 'Spilled', 1, body.bytes.length);
  return response;
}

export function tooLarge(reason: string, bytes: number, maxBytes: number): S3SpillError {
  return new ResponseTooLargeError(`${reason}: ${bytes} bytes is over the ${maxBytes}-byte limit`, { bytes, maxBytes });
}

/** The error for a failed upload or presign: a timeout when the deadline fired, else an S3 failure. */
export function storeFailure(error: unknown, signal: AbortSignal | undefined, message: string): S3SpillError {
  if (classifyS3Failure(error, signal).kind === 'timeout') {
    return new SpillTimeoutError('The response could not be stored before the deadline', { cause: error });
  }
  return new SpillUploadError(message, { cause: error });
}
