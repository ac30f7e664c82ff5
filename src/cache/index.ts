/**
 * `lambda-s3-spill/cache`: an S3 response cache in front of the handler, as a
 * Middy middleware (`s3Cache`), a handler wrapper (`withS3Cache`), and
 * `invalidateCached` to remove a target's entries.
 *
 * @module lambda-s3-spill/cache
 */
export { s3Cache, s3CacheValidateOptions } from './middleware.js';
export { withS3Cache } from './wrapper.js';
export { invalidateCached, type CachedTarget } from './invalidate.js';
export type { S3CacheOptions, CacheLocationOptions, CacheMetrics } from './options.js';
export type { LoggerOption, MetricsOption, ObservabilityOptions, S3LocationOptions } from '../options/shared.js';
export { CACHE_NAME } from './policy.js';
