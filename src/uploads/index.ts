/**
 * `lambda-s3-spill/uploads`: requests over the limit go to S3 by presigned
 * POST: `createUpload` (the form), `s3Uploads` (Middy) and `resolveUploads`
 * (without Middy) turn the references the client sends back into uploads.
 *
 * @module lambda-s3-spill/uploads
 */
export { createUpload, type UploadForm } from './create-upload.js';
export { s3Uploads, s3UploadsValidateOptions } from './middleware.js';
export { resolveUploads, UPLOAD_HEADER } from './resolve.js';
export { S3Upload } from './upload-object.js';
export type { KeepObjectParams, KeepUploadOptions, KeptUpload } from './keep.js';
export { S3SpillError, SpillConfigurationError } from '../errors/base.js';
export { S3UploadsError, InvalidUploadError, UploadStorageError } from './errors.js';
export type { CreateUploadOptions, ResolveUploadsOptions, S3UploadsOptions } from './options.js';
export type { LoggerOption, MetricsOption, ObservabilityOptions, S3LocationOptions } from '../options/shared.js';
export type { SpillLogger } from '../logging/default-logger.js';
export type { MetricsLike } from '../logging/metrics.js';
export type { S3ClientLike } from '../s3/client.js';
export type { MiddyLikeRequest, MiddlewareLikeObj, MiddlewareLikeFn } from '../types/middy.js';
