/**
 * lambda-s3-spill: oversized AWS Lambda HTTP responses spill to S3 and are
 * answered `303 See Other` with a presigned URL (or compressed inline when that
 * fits), through a Middy middleware (`s3Spill`) or a handler wrapper (`withS3Spill`).
 *
 * @module lambda-s3-spill
 */
export { s3Spill, s3SpillValidateOptions } from './middleware.js';
export { withS3Spill, type LambdaHandler, type StreamingLambdaHandler } from './wrapper.js';
export type { S3SpillOptions, SpillLogger, PresignInput, S3ClientOption, S3ClientLike } from './options/options.js';
export type { ObjectOptions } from './options/object-options.js';
export type { PutObjectParams } from './storage/s3-object.js';
export type { PerRequest, PerRequestFlag } from './options/per-request.js';
export { CONTROL_HEADER } from './options/spill-control.js';
export { REFERENCE_MEDIA_TYPE, type SpillReference } from './http/reference.js';
export type { HttpResult, HeaderValue } from './http/result.js';
export type { FrontDoor } from './http/events.js';
export { COMPRESSIBLE_TYPES } from './compression/media-types.js';
export type { ContentCoding } from './compression/encodings.js';
export { payloadBytes } from './sizing/payload-bytes.js';
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
  STREAMING_RESPONSE_MAX_BYTES,
  STREAMING_BURST_BYTES,
  STREAMING_BANDWIDTH_BYTES_PER_SECOND,
} from './limits.js';
export type { MiddyLikeRequest, MiddlewareLikeObj, MiddlewareLikeFn } from './types/middy.js';

// Offloading non-HTTP results (issue 12): s3Offload / withS3Offload / resolveOffloaded, a claim check for SDK invokes and Step Functions.
export { s3Offload, s3OffloadValidateOptions } from './offload/middleware.js';
export { withS3Offload } from './offload/wrapper.js';
export { resolveOffloaded, type ResolveOffloadedCallOptions } from './offload/resolve.js';
export type { S3OffloadOptions, ResolveOffloadedOptions } from './offload/options.js';
export {
  OFFLOAD_REFERENCE_KEY,
  OFFLOAD_REFERENCE_VERSION,
  OFFLOAD_RESOLVE_MAX_DEPTH,
  type OffloadReference,
  type OffloadPointer,
} from './offload/reference.js';
export {
  S3OffloadError,
  OffloadReferenceError,
  OffloadIntegrityError,
  OffloadLoadError,
  OffloadStoreError,
  OffloadTimeoutError,
} from './offload/errors.js';
export { STEP_FUNCTIONS_STATE_MAX_BYTES, ASYNC_INVOKE_MAX_BYTES } from './limits.js';

// The request side (issue 13): upload forms, references and the middleware that resolves them.
export { createUpload, type UploadForm } from './uploads/create-upload.js';
export { s3Uploads, s3UploadsValidateOptions } from './uploads/middleware.js';
export { resolveUploads, UPLOAD_HEADER } from './uploads/resolve.js';
export { S3Upload } from './uploads/upload-object.js';
export { InvalidUploadError, UploadStorageError } from './uploads/errors.js';
export type { CreateUploadOptions, ResolveUploadsOptions, S3UploadsOptions } from './uploads/options.js';
