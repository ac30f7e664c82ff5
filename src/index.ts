/**
 * lambda-s3-spill: oversized AWS Lambda HTTP responses spill to S3 and are
 * answered `303 See Other` with a presigned URL (or compressed inline when that
 * fits), through a Middy middleware (`s3Spill`) or a handler wrapper (`withS3Spill`).
 *
 * @packageDocumentation
 */
export { s3Spill, s3SpillValidateOptions } from './middleware.js';
export { withS3Spill, type LambdaHandler } from './wrapper.js';
export type { S3SpillOptions, SpillLogger, PresignInput, S3ClientOption } from './options/options.js';
export type { ObjectOptions } from './options/object-options.js';
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
export { LAMBDA_RESPONSE_MAX_BYTES, ALB_RESPONSE_MAX_BYTES, STREAMING_RESPONSE_MAX_BYTES } from './limits.js';
export type { MiddyLikeRequest, MiddlewareLikeObj, MiddlewareLikeFn } from './types/middy.js';
// The request side (issue 13): upload forms, references and the middleware that resolves them.
export { createUpload, type UploadForm } from './uploads/create-upload.js';
export { s3Uploads, s3UploadsValidateOptions } from './uploads/middleware.js';
export { resolveUploads, UPLOAD_HEADER } from './uploads/resolve.js';
export { S3Upload } from './uploads/upload-object.js';
export { InvalidUploadError, UploadStorageError } from './uploads/errors.js';
export type { CreateUploadOptions, ResolveUploadsOptions, S3UploadsOptions } from './uploads/options.js';
