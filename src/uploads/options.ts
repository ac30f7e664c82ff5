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
  checkLogger,
  checkMetrics,
  checkS3Client,
  integerIn,
  mergeOptions,
  resolveBucket,
  resolveKeyPrefix,
} from '../options/resolve.js';
import type { S3ClientLike } from '../s3/client.js';
import { contentTypePatternProblem } from './policy.js';

/** Options shared by both sides: where uploads live. */
export interface UploadLocationOptions {
  /**
   * The bucket of the uploads.
   * @default process.env.S3_SPILL_BUCKET (neither set: `SpillConfigurationError` at creation)
   */
  readonly bucket?: string;
  /**
   * Key prefix of the uploads (its own lifecycle rule in `SpillBucket`'s
   * `uploads`). Both sides must use the same. No leading `/`, no `.`/`..` segment;
   * end it with `/`.
   * @default process.env.S3_SPILL_UPLOAD_PREFIX ?? 'uploads/'
   */
  readonly keyPrefix?: string;
  /**
   * The S3 client (it signs the form, and makes the `HeadObject` and `GetObject`).
   * @default - one `new S3Client({})` per container, shared with `s3Spill`
   */
  readonly s3Client?: S3ClientLike;
}

/** Options of `createUpload`. */
export interface CreateUploadOptions extends UploadLocationOptions {
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

/** Options of `resolveUploads`. */
export interface ResolveUploadsOptions extends UploadLocationOptions {
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

/** Options of `s3Uploads`. */
export interface S3UploadsOptions extends ResolveUploadsOptions {
  /**
   * Delete the objects once the handler succeeded (its `after`); otherwise the
   * uploads prefix's lifecycle rule removes them. A failed delete is logged,
   * never answered. Needs `s3:DeleteObject` on the prefix.
   * @default false
   */
  readonly deleteAfter?: boolean;
  /**
   * Logger for the upload record (bucket, key, size; never the reference) and failed deletes.
   * @default - the library's default logger: a Powertools `Logger` with the function's `POWERTOOLS_SERVICE_NAME`, or `lambda-s3-spill`
   */
  readonly logger?: SpillLogger;
  /**
   * A Powertools `Metrics` (`@aws-lambda-powertools/metrics`, optional peer)
   * that receives, per request whose upload references were resolved, as
   * CloudWatch EMF under its namespace, its `service` and default dimensions,
   * and the dimension `utility: 'uploads'`: `Resolved` (Count, the uploads) and
   * `ResolvedBytes` (Bytes, their sizes). Published at once through
   * `metrics.singleMetric()`, apart from the instance's own stored metrics.
   * Nothing for a request without references.
   * @default - no metrics
   */
  readonly metrics?: MetricsLike;
}

/** Every option of `createUpload`, the undefined ones included; frozen. */
export const createUploadDefaults = Object.freeze({
  bucket: undefined as string | undefined,
  keyPrefix: undefined as string | undefined,
  s3Client: undefined as S3ClientLike | undefined,
  maxBytes: undefined as number | undefined,
  contentType: undefined as string | undefined,
  expiresIn: 300,
});

/** Every option of `s3Uploads` and `resolveUploads`, the undefined ones included; frozen. */
export const s3UploadsDefaults = Object.freeze({
  bucket: undefined as string | undefined,
  keyPrefix: undefined as string | undefined,
  s3Client: undefined as S3ClientLike | undefined,
  maxBytes: undefined as number | undefined,
  contentType: undefined as string | readonly string[] | undefined,
  accept: 'both' as 'both' | 'field' | 'whole-body',
  expiryGraceSeconds: 60,
  timeoutEarlyInMillis: 1000,
  deleteAfter: false,
  logger: undefined as SpillLogger | undefined,
  metrics: undefined as MetricsLike | undefined,
});

/** `createUpload` options, resolved. */
export interface ResolvedCreateUpload {
  readonly bucket: string;
  readonly keyPrefix: string;
  readonly s3Client: S3ClientLike | undefined;
  readonly maxBytes: number;
  readonly contentType: string | undefined;
  readonly expiresIn: number;
}

/** `s3Uploads` options, resolved. */
export interface ResolvedS3Uploads {
  readonly bucket: string;
  readonly keyPrefix: string;
  readonly s3Client: S3ClientLike | undefined;
  readonly maxBytes: number;
  readonly contentTypes: readonly string[] | undefined;
  readonly accept: 'both' | 'field' | 'whole-body';
  readonly expiryGraceSeconds: number;
  readonly timeoutEarlyInMillis: number;
  readonly deleteAfter: boolean;
  readonly logger: SpillLogger | undefined;
  readonly metrics: MetricsLike | undefined;
}

function location(
  merged: { bucket?: string; keyPrefix?: string; s3Client?: S3ClientLike },
  env: NodeJS.ProcessEnv,
  name: string,
): { bucket: string; keyPrefix: string; s3Client: S3ClientLike | undefined } {
  const bucket = resolveBucket(merged.bucket, env, [SPILL_CONTRACT.bucketEnv], name);
  if (merged.keyPrefix === '') throw new TypeError('keyPrefix must not be empty');
  const keyPrefix = resolveKeyPrefix(merged.keyPrefix, env, UPLOADS_CONTRACT.prefixEnv, UPLOADS_CONTRACT.defaultPrefix, true);
  checkS3Client('s3Client', merged.s3Client);
  return { bucket, keyPrefix, s3Client: merged.s3Client };
}

/**
 * Resolve and check `createUpload` options.
 *
 * @throws TypeError naming the option; SpillConfigurationError when there is no bucket
 */
export function resolveCreateUploadOptions(options: CreateUploadOptions, env = process.env): ResolvedCreateUpload {
  const merged = mergeOptions(options, createUploadDefaults, 'createUpload');
  const where = location(merged, env, 'createUpload');
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
  const where = location(merged, env, 's3Uploads');
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
  checkLogger(merged.logger);
  checkMetrics(merged.metrics);
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
