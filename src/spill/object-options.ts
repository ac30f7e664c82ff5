/**
 * The `PutObject` parameters a spill sets from the options (encryption, storage
 * class, metadata, tags, content disposition), static or per request.
 *
 * @module options/object-options
 */
import type { ServerSideEncryption, StorageClass } from '@aws-sdk/client-s3';
import type { PutObjectParams } from '../s3/store.js';
import type { MiddyLikeRequest } from '../types/middy.js';
import { type PerRequest, perRequest, type ValueCheck } from '../options/per-request.js';

/** Object options of {@link S3SpillOptions}. */
export interface ObjectOptions {
  /**
   * Server-side encryption of the object: `'AES256'` (SSE-S3), `'aws:kms'` (SSE-KMS),
   * `'aws:kms:dsse'`. With SSE-KMS the role that signs the URL needs `kms:Decrypt`
   * on the key, or the client's GET is refused.
   * @default - the bucket's default encryption (SSE-S3 on every bucket since January 2023)
   */
  readonly serverSideEncryption?: ServerSideEncryption;
  /**
   * KMS key id or ARN for SSE-KMS.
   * @default - the AWS managed key `aws/s3` when `serverSideEncryption` is `'aws:kms'`
   */
  readonly sseKmsKeyId?: string;
  /**
   * Use an S3 Bucket Key for SSE-KMS (fewer KMS requests, lower cost).
   * @default - the bucket's setting
   */
  readonly bucketKeyEnabled?: boolean;
  /**
   * Storage class of the object.
   * @default 'STANDARD'
   */
  readonly storageClass?: StorageClass;
  /**
   * User metadata (`x-amz-meta-*`): ASCII names and values, 2 KB in all.
   * @default - none
   */
  readonly metadata?: PerRequest<Record<string, string> | undefined>;
  /**
   * Object tags (at most 10). Needs `s3:PutObjectTagging` on the keys as well.
   * @default - none
   */
  readonly tags?: PerRequest<Record<string, string> | undefined>;
  /**
   * `Content-Disposition` of the object, e.g. `attachment; filename="report.csv"`,
   * over the response's own.
   * @default - the response's `Content-Disposition`
   */
  readonly contentDisposition?: PerRequest<string | undefined>;
}

/** S3 limits on user metadata and tags (Amazon S3 User Guide: "Working with object metadata", "Categorizing your storage using tags"). */
const METADATA_MAX_BYTES = 2048;
const TAGS_MAX = 10;

/**
 * Check the static object options when the middleware is created.
 *
 * @throws TypeError naming the option
 */
export function checkObjectOptions(options: ObjectOptions): void {
  for (const name of ['serverSideEncryption', 'sseKmsKeyId', 'storageClass'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'string') throw new TypeError(`${name} must be a string`);
  }
  if (options.bucketKeyEnabled !== undefined && typeof options.bucketKeyEnabled !== 'boolean') {
    throw new TypeError('bucketKeyEnabled must be a boolean');
  }
  if (options.sseKmsKeyId !== undefined && options.serverSideEncryption?.startsWith('aws:kms') !== true) {
    throw new TypeError("sseKmsKeyId needs serverSideEncryption 'aws:kms' or 'aws:kms:dsse'");
  }
  for (const name of ['metadata', 'tags'] as const) {
    const value = options[name];
    if (value === undefined || typeof value === 'function') continue;
    const problem = stringMapProblem(name, value);
    if (problem !== undefined) throw new TypeError(`${name} ${problem}`);
  }
  const disposition = options.contentDisposition;
  if (disposition !== undefined && typeof disposition !== 'function' && typeof disposition !== 'string') {
    throw new TypeError('contentDisposition must be a string or a function');
  }
}

/** Why a metadata or tags map breaks S3's rules, or `undefined`. */
function stringMapProblem(name: 'metadata' | 'tags', value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object of strings';
  const entries = Object.entries(value);
  for (const [key, item] of entries) {
    if (typeof item !== 'string') return `must be an object of strings (${safeKey(key)} is not)`;
  }
  if (name === 'metadata') {
    const bytes = entries.reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v as string), 0);
    if (bytes > METADATA_MAX_BYTES) return `must be at most ${METADATA_MAX_BYTES} bytes`;
    if (entries.some(([k, v]) => !/^[\x21-\x7e]+$/.test(k) || !/^[\x20-\x7e]*$/.test(v as string))) {
      return 'names and values must be printable ASCII';
    }
  }
  if (name === 'tags' && entries.length > TAGS_MAX) return `must be at most ${TAGS_MAX}`;
  return undefined;
}

function safeKey(key: string): string {
  return `'${key.replace(/[^\x21-\x26\x28-\x7e]/g, '?').slice(0, 64)}'`;
}

/** The check of a metadata or tags function's answer: a map, or `undefined` for none. */
function mapCheck(name: 'metadata' | 'tags'): ValueCheck {
  return (value) => {
    if (value === undefined) return undefined;
    const problem = stringMapProblem(name, value);
    return problem === undefined ? undefined : `must return an object of strings that S3 accepts: its answer ${problem}`;
  };
}

const dispositionCheck: ValueCheck = (value) =>
  value === undefined || typeof value === 'string' ? undefined : 'must return a string';

/**
 * The `PutObject` parameters for one spill: the options resolved for this
 * request, over `putObjectParams`.
 *
 * @throws SpillConfigurationError when a per-request function throws or returns a wrong value
 */
export function objectParamsFor(
  options: ObjectOptions,
  base: PutObjectParams,
  request: MiddyLikeRequest,
): { params: PutObjectParams; contentDisposition?: string } {
  const params: PutObjectParams = { ...base };
  if (options.serverSideEncryption !== undefined) params.ServerSideEncryption = options.serverSideEncryption;
  if (options.sseKmsKeyId !== undefined) params.SSEKMSKeyId = options.sseKmsKeyId;
  if (options.bucketKeyEnabled !== undefined) params.BucketKeyEnabled = options.bucketKeyEnabled;
  if (options.storageClass !== undefined) params.StorageClass = options.storageClass;
  const metadata =
    options.metadata === undefined ? undefined : perRequest('metadata', options.metadata, request, mapCheck('metadata'));
  if (metadata !== undefined) params.Metadata = { ...params.Metadata, ...metadata };
  const tags = options.tags === undefined ? undefined : perRequest('tags', options.tags, request, mapCheck('tags'));
  if (tags !== undefined) params.Tagging = new URLSearchParams(tags).toString();
  const contentDisposition =
    options.contentDisposition === undefined
      ? undefined
      : perRequest('contentDisposition', options.contentDisposition, request, dispositionCheck);
  return { params, contentDisposition };
}
