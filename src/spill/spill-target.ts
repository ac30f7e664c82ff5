/**
 * Where a spilled body goes and how its URL is made, for one request: the
 * bucket, key prefix, key and S3 clients (static or per request, always
 * checked), and the URL (an S3 presigned GET or the `presign` hook's, checked
 * before it becomes a `Location`).
 *
 * @module spill/spill-target
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { configurationProblem } from '../errors/base.js';
import { locationProblem } from '../http/location.js';
import type { ContentHeaders } from '../http/body.js';
import type { SpillReference } from '../http/reference.js';
import { bucketNameProblem } from '../s3/bucket-name.js';
import type { ResolvedOptions, S3ClientOption } from './options.js';
import { callUser, perRequest, type ValueCheck } from '../options/per-request.js';
import type { MiddyLikeRequest } from '../types/middy.js';
import { defaultKey, keyPrefixProblem, keyProblem } from '../s3/keys.js';
import { asS3Client, defaultS3Client } from '../s3/client.js';
import { presignGet } from '../s3/presign.js';

/** The options these functions read. */
export type TargetOptions = Pick<
  ResolvedOptions,
  'bucket' | 'keyPrefix' | 'key' | 'presign' | 's3Client' | 'signingClient' | 'expiresIn'
>;

const bucketCheck: ValueCheck = (value) => {
  const problem = bucketNameProblem(value);
  return problem === undefined ? undefined : `gave a bucket that ${problem}`;
};

const prefixCheck: ValueCheck = (value) => {
  if (typeof value !== 'string') return 'must return a string';
  const problem = keyPrefixProblem(value);
  return problem === undefined ? undefined : `gave a prefix that ${problem}`;
};

const clientCheck: ValueCheck = (value) =>
  typeof (value as { send?: unknown } | null | undefined)?.send === 'function' ? undefined : 'must return an S3Client';

/** The bucket for this request: the option, or what its function returns, checked against the naming rules. */
export function bucketFor(opts: TargetOptions, request: MiddyLikeRequest): string {
  return perRequest('bucket', opts.bucket, request, bucketCheck);
}

/** The key prefix for this request: the option, or what its function returns, checked. */
export function keyPrefixFor(opts: TargetOptions, request: MiddyLikeRequest): string {
  return perRequest('keyPrefix', opts.keyPrefix, request, prefixCheck);
}

/** A fresh key under `keyPrefix`: timestamp + UUID v4, or the `key` function's suffix, checked. */
export function objectKey(opts: TargetOptions, request: MiddyLikeRequest, keyPrefix: string): string {
  if (opts.key === undefined) return keyPrefix + defaultKey();
  const keyFunction = opts.key;
  const suffix: unknown = callUser('key', () => keyFunction(request));
  if (typeof suffix !== 'string') throw configurationProblem('The key function must return a string');
  const key = keyPrefix + suffix;
  const problem = keyProblem(key);
  if (problem !== undefined) throw configurationProblem(`The key function gave a key that ${problem}`);
  return key;
}

/** The client of an `s3Client` / `signingClient` option for this bucket; `undefined` when the option is not set. */
function clientOf(name: string, option: S3ClientOption | undefined, bucket: string, request: MiddyLikeRequest): S3Client | undefined {
  if (option === undefined) return undefined;
  if (typeof option !== 'function') return asS3Client(option);
  const client: unknown = callUser(name, () => option(bucket, request));
  const problem = clientCheck(client);
  if (problem !== undefined) throw configurationProblem(`The ${name} function ${problem}`);
  return client as S3Client;
}

/** The client that uploads to `bucket`: the option's, or the container's default client (the SDK loads then). */
export async function uploadClientFor(opts: TargetOptions, bucket: string, request: MiddyLikeRequest): Promise<S3Client> {
  return clientOf('s3Client', opts.s3Client, bucket, request) ?? defaultS3Client();
}

/**
 * The URL the client follows: the `presign` hook's, or an S3 presigned GET from
 * `signingClient` (else the upload client); checked by `locationProblem` either way.
 *
 * @throws SpillConfigurationError when the hook throws or gives a URL that may not be a `Location`
 * @throws what the presigner throws (credentials that do not resolve)
 */
export async function signUrl(
  opts: TargetOptions,
  request: MiddyLikeRequest,
  uploadClient: S3Client,
  bucket: string,
  key: string,
): Promise<string> {
  let url: unknown;
  let source: string;
  if (opts.presign === undefined) {
    const signer = clientOf('signingClient', opts.signingClient, bucket, request) ?? uploadClient;
    url = await presignGet(signer, bucket, key, opts.expiresIn);
    source = 'presigner (check the signing client endpoint)';
  } else {
    try {
      url = await opts.presign({ bucket, key, expiresIn: opts.expiresIn, request });
    } catch (error) {
      throw configurationProblem('The presign function threw', error);
    }
    source = 'presign function';
  }
  const problem = locationProblem(url);
  if (problem !== undefined) throw configurationProblem(`The ${source} ${problem}`);
  return url as string;
}

/** The JSON document of a reference-mode answer. */
export function referenceDocument(opts: TargetOptions, url: string, body: ContentHeaders, bytes: number): string {
  const document: SpillReference = {
    url,
    expiresAt: new Date(Date.now() + opts.expiresIn * 1000).toISOString(),
    bytes,
    contentType: body.contentType,
    contentEncoding: body.contentEncoding,
  };
  return JSON.stringify(document);
}
