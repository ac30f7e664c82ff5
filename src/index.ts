/**
 * lambda-s3-spill: a Middy middleware that spills oversized AWS Lambda HTTP
 * responses to S3 and answers `303 See Other` with a presigned URL.
 *
 * @packageDocumentation
 */
export { s3Spill } from './middleware.js';
export { type S3SpillOptions, type SpillLogger, type PresignInput, defaults } from './options.js';
export { type ObjectOptions, type PerRequest } from './object-params.js';
export { REFERENCE_MEDIA_TYPE, type SpillReference, wantsReference } from './reference.js';
export { bucketNameProblem } from './bucket-name.js';
export { requestHeader } from './request-headers.js';
export {
  COMPRESSIBLE_TYPES,
  COMPRESSION_LEVELS,
  DEFAULT_ENCODINGS,
  ZSTD_AVAILABLE,
  compressBytes,
  decompressBytes,
  isCompressibleType,
  negotiateEncoding,
  type CompressOptions,
  type ContentCoding,
} from './compression.js';
export { checkReuseLifetime, contentHash, contentKey, reuseWindow } from './content-address.js';
export {
  CONTROL_HEADER,
  parseSpillControl,
  takeSpillControl,
  type PerRequestFlag,
  type SpillControl,
} from './spill-control.js';
export { payloadBytes, jsonStringBytes, payloadBytesUpperBound, measurePayload, type PayloadMeasure } from './payload-bytes.js';
export { describeRequest, maxBytesFor, maxBytesForEvent, type FrontDoor, type HttpRequestInfo } from './front-door.js';
export { type HttpResult, type HeaderValue } from './http-result.js';
export { defaultKey } from './object-key.js';
export { type PutObjectParams } from './s3-object.js';
export {
  S3SpillError,
  SpillConfigurationError,
  InvalidResponseError,
  ResponseTooLargeError,
  SpillUploadError,
  SpillTimeoutError,
} from './errors.js';
export {
  LAMBDA_RESPONSE_MAX_BYTES,
  ALB_RESPONSE_MAX_BYTES,
  PRESIGNED_URL_MAX_EXPIRES_IN,
  PRESIGNED_URL_SAFE_EXPIRES_IN,
  S3_KEY_MAX_BYTES,
} from './limits.js';
export type { MiddyLikeRequest, MiddlewareLikeObj, MiddlewareLikeFn } from './types/middy.js';
