/**
 * `lambda-s3-spill/offload`: a claim check for non-HTTP results (SDK invokes,
 * Step Functions tasks, asynchronous events): `s3Offload` (Middy),
 * `withS3Offload` (a handler wrapper) and `resolveOffloaded` (the caller's side).
 *
 * @module lambda-s3-spill/offload
 */
export { s3Offload, s3OffloadValidateOptions } from './middleware.js';
export { withS3Offload } from './wrapper.js';
export { resolveOffloaded, type ResolveOffloadedCallOptions } from './resolve.js';
export { s3Serdes, type S3SerdesOptions, DURABLE_INLINE_KEY } from './serdes.js';
export type { DurableSerdes, DurableSerdesContext } from '../types/durable.js';
export type { S3OffloadOptions, ResolveOffloadedOptions } from './options.js';
export type { LoggerOption, MetricsOption, ObservabilityOptions, S3LocationOptions } from '../options/shared.js';
export {
  OFFLOAD_REFERENCE_KEY,
  OFFLOAD_REFERENCE_VERSION,
  OFFLOAD_RESOLVE_MAX_DEPTH,
  type OffloadReference,
  type OffloadPointer,
} from './reference.js';
export { S3SpillError, SpillConfigurationError } from '../errors/base.js';
export {
  S3OffloadError,
  OffloadReferenceError,
  OffloadIntegrityError,
  OffloadLoadError,
  OffloadStoreError,
  OffloadTimeoutError,
} from './errors.js';
export {
  LAMBDA_RESPONSE_MAX_BYTES,
  STEP_FUNCTIONS_STATE_MAX_BYTES,
  ASYNC_INVOKE_MAX_BYTES,
  DURABLE_CHECKPOINT_MAX_BYTES,
} from '../limits.js';
export type { LambdaHandler } from '../lambda/handler.js';
export type { SpillLogger } from '../logging/default-logger.js';
export type { MetricsLike } from '../logging/metrics.js';
export type { S3ClientLike } from '../s3/client.js';
export type { PutObjectParams } from '../s3/store.js';
export type { PerRequestFlag } from '../options/per-request.js';
export type { MiddyLikeRequest, MiddlewareLikeObj, MiddlewareLikeFn } from '../types/middy.js';
