/**
 * Options of `createUpload`, `s3Uploads` and `resolveUploads`: their defaults
 * and their validation at creation (a `TypeError` naming the option; an option
 * given as `undefined` means its default).
 *
 * @module uploads/options
 */
import { SPILL_CONTRACT, UPLOADS_CONTRACT } from '../contract.js';
import { POST_OBJECT_MAX_BYTES, PRESIGNED_URL_MAX_EXPIRES_IN } from '../limits.js';
import type { SpillLogger } from '../logging/default-logger.js';
import type { MetricsLike } from '../logging/metrics.js';
import {
  checkBoolean,
  checkObservability,
  integerIn,
  type LocationRules,
  mergeOptions,
  resolveLocation,
  type ResolvedS3Location,
} from '../options/resolve.js';
import { OBSERVABILITY_DEFAULTS, type ObservabilityOptions, S3_LOCATION_DEFAULTS, type S3LocationOptions } from '../options/shared.js';
import { contentTypePatternProblem } from './policy.js';

/**
 * Options of `createUpload`.
 *
 * `bucket` and `keyPrefix` are where the form puts the file: both sides
 * (`createUpload`, and `s3Uploads` or `resolveUploads`) must use the same.
 * The prefix has its own lifecycle rule (`SpillBucket`'s `uploads`) and must
 * not be empty. `s3Client` signs the form.
 */
export interface CreateUploadOptions extends S3LocationOptions {
  /**
   * Largest file accepted, in bytes: the policy's `content-length-range` is
   * 1 to this. From 1 to 5 GiB. Required: the API says what it accepts.
   */
  readonly maxBytes: number;
  /**
   * The file's content type: exact (`application/pdf`: the form carries the
   * field and the policy pins it) or `type/*` (`image/*`: the client sets
   * `Content-Type` from the file, and the policy says it starts with `image/`).
   * @default - any content type
   */
  readonly contentType?: string;
  /**
   * Seconds the form can be used: the policy's expiration. Keep it short: the
   * form dies with the signer's temporary credentials anyway. 1 to 604,800.
   * @default 300
   */
  readonly expiresIn?: number;
}

/**
 * Options of `resolveUploads`.
 *
 * `bucket` and `keyPrefix` are those of `createUpload`: only references to
 * that bucket and under that prefix are read. `s3Client` makes the
 * `HeadObject` and `GetObject` (and, for `s3Uploads` with `deleteAfter`, the
 * `DeleteObject`).
 */
export interface ResolveUploadsOptions extends S3LocationOptions {
  /** Largest upload the API accepts, in bytes, checked on use whatever the form said. From 1 to 5 GiB. Required. */
  readonly maxBytes: number;
  /**
   * Content types the API accepts (`type/subtype` or `type/*`), checked on use
   * against the object's `Content-Type`.
   * @default - any
   */
  readonly contentType?: string | readonly string[];
  /**
   * Which ways of sending a reference are handled: `'field'` (references as
   * top-level JSON body fields, or items of a top-level array), `'whole-body'`
   * (the `X-S3-Upload` header with an empty body), or `'both'`.
   * @default 'both'
   */
  readonly accept?: 'both' | 'field' | 'whole-body';
  /**
   * Seconds an object may have been written after its form expired and still
   * be used: the time a large POST takes, and clock differences. S3 refuses a
   * POST that starts after the expiry; this catches stores that do not
   * (the local S3 servers here) and a form reused late. 0 to 3,600.
   * @default 60
   */
  readonly expiryGraceSeconds?: number;
  /**
   * Milliseconds kept free before the deadline (the function's, or the API
   * Gateway integration timeout counted from the request's arrival when it comes first): a `HeadObject` or
   * `GetObject` still running then is aborted (`UploadStorageError`, 503).
   * @default 1000
   */
  readonly timeoutEarlyInMillis?: number;
}

/**
 * Options of `s3Uploads`.
 *
 * `logger` receives the upload record (bucket, key, size; never the
 * reference) and failed deletes. `metrics` receives, with
 * `utility: 'uploads'`, per request whose upload references were resolved,
 * `Resolved` (Count, the uploads) and `ResolvedBytes` (Bytes, their sizes);
 * nothing for a request without references.
 */
export interface S3UploadsOptions extends ResolveUploadsOptions, ObservabilityOptions {
  /**
   * Delete the objects once the handler succeeded (its `after`); otherwise the
   * uploads prefix's lifecycle rule removes them. A failed delete is logged,
   * never answered. Needs `s3:DeleteObject` on the prefix.
   * @default false
   */
  readonly deleteAfter?: boolean;
}

/** Every option of `createUpload`, the undefined ones included; frozen. */
export const createUploadDefaults = Object.freeze({
  ...S3_LOCATION_DEFAULTS,
  maxBytes: undefined as number | undefined,
  contentType: undefined as string | undefined,
  expiresIn: 300,
});

/** Every option of `s3Uploads` and `resolveUploads`, the undefined ones included; frozen. */
export const s3UploadsDefaults = Object.freeze({
  ...S3_LOCATION_DEFAULTS,
  maxBytes: undefined as number | undefined,
  contentType: undefined as string | readonly string[] | undefined,
  accept: 'both' as 'both' | 'field' | 'whole-body',
  expiryGraceSeconds: 60,
  timeoutEarlyInMillis: 1000,
  deleteAfter: false,
  ...OBSERVABILITY_DEFAULTS,
});

/** `createUpload` options, resolved. */
export interface ResolvedCreateUpload extends ResolvedS3Location {
  readonly maxBytes: number;
  readonly contentType: string | undefined;
  readonly expiresIn: number;
}

/** `s3Uploads` options, resolved. */
export interface ResolvedS3Uploads extends ResolvedS3Location {
  readonly maxBytes: number;
  readonly contentTypes: readonly string[] | undefined;
  readonly accept: 'both' | 'field' | 'whole-body';
  readonly expiryGraceSeconds: number;
  readonly timeoutEarlyInMillis: number;
  readonly deleteAfter: boolean;
  readonly logger: SpillLogger | undefined;
  readonly metrics: MetricsLike | undefined;
}

/** Both sides: the spill bucket's variable; a prefix of their own that bounds the references read. */
const UPLOADS_LOCATION: LocationRules = { ...UPLOADS_CONTRACT, bucketEnvs: [SPILL_CONTRACT.bucketEnv], read: true, nonEmpty: '' };

/**
 * Resolve and check `createUpload` options.
 *
 * @throws TypeError naming the option; SpillConfigurationError when there is no bucket
 */
export function resolveCreateUploadOptions(options: CreateUploadOptions, env = process.env): ResolvedCreateUpload {
  const merged = mergeOptions(options, createUploadDefaults, 'createUpload');
  const where = resolveLocation(merged, env, UPLOADS_LOCATION, 'createUpload');
  if (merged.contentType !== undefined) {
    const problem = contentTypePatternProblem(merged.contentType);
    if (problem !== undefined) throw new TypeError(`contentType ${problem}`);
  }
  return {
    ...where,
    maxBytes: integerIn('maxBytes', merged.maxBytes, 1, POST_OBJECT_MAX_BYTES),
    contentType: merged.contentType,
    expiresIn: integerIn('expiresIn', merged.expiresIn, 1, PRESIGNED_URL_MAX_EXPIRES_IN),
  };
}

/**
 * Resolve and check `s3Uploads` / `resolveUploads` options.
 *
 * @throws TypeError naming the option; SpillConfigurationError when there is no bucket
 */
export function resolveS3UploadsOptions(options: S3UploadsOptions, env = process.env): ResolvedS3Uploads {
  const merged = mergeOptions(options, s3UploadsDefaults, 's3Uploads');
  const where = resolveLocation(merged, env, UPLOADS_LOCATION, 's3Uploads');
  let contentTypes: readonly string[] | undefined;
  if (merged.contentType !== undefined) {
    contentTypes = typeof merged.contentType === 'string' ? [merged.contentType] : merged.contentType;
    if (!Array.isArray(contentTypes) || contentTypes.length === 0) {
      throw new TypeError('contentType must be a media type or a non-empty array of them');
    }
    for (const pattern of contentTypes) {
      const problem = contentTypePatternProblem(pattern);
      if (problem !== undefined) throw new TypeError(`contentType ${JSON.stringify(pattern)} ${problem}`);
    }
  }
  if (!['both', 'field', 'whole-body'].includes(merged.accept)) {
    throw new TypeError(`accept must be 'both', 'field' or 'whole-body'`);
  }
  checkBoolean('deleteAfter', merged.deleteAfter);
  checkObservability(merged);
  return {
    ...where,
    maxBytes: integerIn('maxBytes', merged.maxBytes, 1, POST_OBJECT_MAX_BYTES),
    contentTypes,
    accept: merged.accept,
    expiryGraceSeconds: integerIn('expiryGraceSeconds', merged.expiryGraceSeconds, 0, 3600),
    timeoutEarlyInMillis: integerIn('timeoutEarlyInMillis', merged.timeoutEarlyInMillis, 0, 900_000),
    deleteAfter: merged.deleteAfter,
    logger: merged.logger,
    metrics: merged.metrics,
  };
}
