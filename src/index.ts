/**
 * lambda-s3-spill: oversized AWS Lambda HTTP responses spill to S3 and are
 * answered `303 See Other` with a presigned URL (or compressed inline when that
 * fits), through a Middy middleware (`s3Spill`) or a handler wrapper (`withS3Spill`).
 *
 * The other utilities have their own entries: `lambda-s3-spill/offload` (claim
 * check for non-HTTP results), `lambda-s3-spill/uploads` (requests over the
 * limit), `lambda-s3-spill/dev`, `lambda-s3-spill/browser`, `lambda-s3-spill/cdk`.
 *
 * @module lambda-s3-spill
 */
export { s3Spill, s3SpillValidateOptions } from './spill/middleware.js';
export { withS3Spill, type LambdaHandler, type StreamingLambdaHandler } from './spill/wrapper.js';
export type { S3SpillOptions, SpillLogger, PresignInput, S3ClientOption, S3ClientLike } from './spill/options.js';
export type { MetricsLike } from './logging/metrics.js';
export type { ObjectOptions } from './spill/object-options.js';
export type { PutObjectParams } from './s3/store.js';
export type { PerRequest, PerRequestFlag } from './options/per-request.js';
export type { LoggerOption, MetricsOption, ObservabilityOptions, S3LocationOptions } from './options/shared.js';
export { CONTROL_HEADER } from './spill/spill-control.js';
export { REFERENCE_MEDIA_TYPE, type SpillReference } from './http/reference.js';
export type { HttpResult, HeaderValue } from './http/result.js';
export type { FrontDoor } from './http/events.js';
export { COMPRESSIBLE_TYPES } from './compression/media-types.js';
export type { ContentCoding } from './compression/encodings.js';
export { payloadBytes } from './sizing/payload-bytes.js';
export { S3SpillError, SpillConfigurationError } from './errors/base.js';
export { InvalidResponseError, ResponseTooLargeError, SpillUploadError, SpillTimeoutError } from './spill/errors.js';
export {
  LAMBDA_RESPONSE_MAX_BYTES,
  ALB_RESPONSE_MAX_BYTES,
  STREAMING_RESPONSE_MAX_BYTES,
  STREAMING_BURST_BYTES,
  STREAMING_BANDWIDTH_BYTES_PER_SECOND,
} from './limits.js';
export type { MiddyLikeRequest, MiddlewareLikeObj, MiddlewareLikeFn } from './types/middy.js';
