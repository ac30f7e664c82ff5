/**
 * Where a spilled body goes and how its URL is made, for one request: the
 * bucket, key prefix and key (static or per request, always checked), and the
 * URL (an S3 presigned GET or the `presign` hook's).
 *
 * @module spill-target
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { bucketNameProblem } from './bucket-name.js';
import { redactedCause, SpillConfigurationError } from './errors.js';
import { checkKey, checkKeyPrefix, defaultKey } from './object-key.js';
import type { ResolvedOptions } from './options.js';
import type { SpillReference } from './reference.js';
import { presignGet } from './s3-object.js';
import type { SpillBody } from './spill-body.js';
import type { MiddyLikeRequest } from './types/middy.js';

/** The options these functions read. */
export type TargetOptions = Pick<ResolvedOptions, 'bucket' | 'keyPrefix' | 'key' | 'presign' | 'signingClient' | 'expiresIn'>;

/** The bucket for this request: the option, or what its function returns, checked against the naming rules. */
export function bucketFor(opts: TargetOptions, request: MiddyLikeRequest): string {
  if (typeof opts.bucket === 'string') return opts.bucket;
  const bucket = callOption('bucket', opts.bucket, request);
  const problem = bucketNameProblem(bucket);
  if (problem !== undefined) throw new SpillConfigurationError(`The bucket function gave a bucket that ${problem}`);
  return bucket as string;
}

/** The key prefix for this request: the option, or what its function returns, checked. */
export function keyPrefixFor(opts: TargetOptions, request: MiddyLikeRequest): string {
  if (typeof opts.keyPrefix === 'string') return opts.keyPrefix;
  const prefix = callOption('keyPrefix', opts.keyPrefix, request);
  try {
    if (typeof prefix !== 'string') throw new TypeError('keyPrefix must return a string');
    checkKeyPrefix(prefix);
  } catch (error) {
    throw new SpillConfigurationError(`The keyPrefix function gave an invalid prefix: ${(error as Error).message}`);
  }
  return prefix;
}

/** A fresh key under `keyPrefix`: timestamp + UUID v4, or the `key` function's suffix, checked. */
export function objectKey(opts: TargetOptions, request: MiddyLikeRequest, keyPrefix: string): string {
  if (opts.key === undefined) return keyPrefix + defaultKey();
  let suffix: unknown;
  try {
    suffix = opts.key(request);
  } catch (error) {
    throw new SpillConfigurationError('The key function threw', { cause: redactedCause(error) });
  }
  if (typeof suffix !== 'string') throw new SpillConfigurationError('The key function must return a string');
  const key = keyPrefix + suffix;
  try {
    checkKey(key);
  } catch (error) {
    throw new SpillConfigurationError(`The key function gave an invalid key: ${(error as Error).message}`);
  }
  return key;
}

/** The URL the client follows: the `presign` hook's, or an S3 presigned GET from `signingClient`. */
export async function signUrl(
  opts: TargetOptions,
  request: MiddyLikeRequest,
  client: S3Client,
  bucket: string,
  key: string,
): Promise<string> {
  if (opts.presign === undefined) return presignGet(opts.signingClient ?? client, bucket, key, opts.expiresIn);
  const url: unknown = await opts.presign({ bucket, key, expiresIn: opts.expiresIn, request });
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url) || !URL.canParse(url)) {
    throw new SpillConfigurationError('The presign function must return an absolute http(s) URL');
  }
  return url;
}

/** The JSON document of a reference-mode answer. */
export function referenceDocument(opts: TargetOptions, url: string, body: SpillBody): string {
  const document: SpillReference = {
    url,
    expiresAt: new Date(Date.now() + opts.expiresIn * 1000).toISOString(),
    bytes: body.bytes.length,
    contentType: body.contentType,
    contentEncoding: body.contentEncoding,
  };
  return JSON.stringify(document);
}

/** Call a per-request option function; what it throws becomes a `SpillConfigurationError`. */
function callOption<T>(name: string, option: (request: MiddyLikeRequest) => T, request: MiddyLikeRequest): T {
  try {
    return option(request);
  } catch (error) {
    throw new SpillConfigurationError(`The ${name} function threw`, { cause: redactedCause(error) });
  }
}
