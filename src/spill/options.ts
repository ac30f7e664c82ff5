/**
 * The options of `s3Spill()` and `withS3Spill()`, their defaults, and their
 * validation at creation.
 *
 * @module spill/options
 */
import { SPILL_CONTRACT } from '../contract.js';
import type { SpillLogger } from '../logging/default-logger.js';
import type { MetricsLike } from '../logging/metrics.js';
import {
  checkBoolean,
  checkObservability,
  checkPutObjectParams,
  checkS3Client,
  checkWarnAtBytes,
  integerIn,
  mergeOptions,
  resolveBucket,
  resolveKeyPrefix,
} from '../options/resolve.js';
import { OBSERVABILITY_DEFAULTS, type ObservabilityOptions } from '../options/shared.js';
import type { S3ClientLike } from '../s3/client.js';
import { type ContentCoding, DEFAULT_ENCODINGS, ZSTD_AVAILABLE } from '../compression/encodings.js';
import { checkTypePatterns, COMPRESSIBLE_TYPES } from '../compression/media-types.js';
import { LAMBDA_RESPONSE_MAX_BYTES, PRESIGNED_URL_MAX_EXPIRES_IN, STREAMING_RESPONSE_MAX_BYTES } from '../limits.js';
import { checkReuseLifetime } from './reuse-window.js';
import type { PutObjectParams } from '../s3/store.js';
import type { MiddyLikeRequest } from '../types/middy.js';
import { checkObjectOptions, type ObjectOptions } from './object-options.js';
import { checkFlag, type PerRequest, type PerRequestFlag } from '../options/per-request.js';

/**
 * An S3 client, or a function that picks one for the bucket of this request
 * (a bucket per region needs a client per region: the presigner signs for the
 * client's region and endpoint).
 */
export type S3ClientOption = S3ClientLike | ((bucket: string, request: MiddyLikeRequest) => S3ClientLike);

/** What a {@link S3SpillOptions.presign} hook receives. */
export interface PresignInput {
  /** The bucket the object was stored in. */
  readonly bucket: string;
  /** The object's key. */
  readonly key: string;
  /** The lifetime asked for, in seconds (`expiresIn`). */
  readonly expiresIn: number;
  /** The Middy request. */
  readonly request: MiddyLikeRequest;
}

export type { MetricsLike, S3ClientLike, SpillLogger };

/**
 * Options of {@link s3Spill}. Every one is optional.
 *
 * `logger` receives the spill record (bucket, key, bytes before and after,
 * duration). `metrics` receives, with `utility: 'spill'`, `Spilled` (Count)
 * and `SpilledBytes` (Bytes, the bytes stored) for a spill, `CompressedInline`
 * (Count) and `CompressedInlineBytes` (Bytes, the compressed body) for an
 * answer compressed to fit; nothing for a response that passes.
 */
export interface S3SpillOptions extends ObjectOptions, ObservabilityOptions {
  /**
   * Bucket that receives oversized bodies, or a function of the Middy request
   * (per tenant, per region) whose answer is checked against the bucket naming
   * rules on each spill (`SpillConfigurationError` when it breaks them).
   * @default process.env.S3_SPILL_BUCKET (neither set: `SpillConfigurationError` at creation)
   */
  readonly bucket?: PerRequest<string>;
  /**
   * Key prefix of every spilled object, or a function of the Middy request; the
   * IAM grant and the lifecycle rule are scoped to it. No leading `/`, no `.` or
   * `..` segment, checked on each spill when it is a function.
   * @default process.env.S3_SPILL_PREFIX ?? 'spill/'
   */
  readonly keyPrefix?: PerRequest<string>;
  /**
   * A second client used only to sign the URL, for when clients reach S3 through
   * another endpoint than the function does (a VPC endpoint or an internal host
   * for uploads, a public or custom-domain endpoint for the URL). The URL is
   * signed with this client's credentials: they need `s3:GetObject` on the keys.
   * A function `(bucket, request) => S3Client` picks one per bucket.
   * @default - `s3Client`
   */
  readonly signingClient?: S3ClientOption;
  /**
   * Builds the URL the client follows, instead of an S3 presigned GET: for
   * example a CloudFront signed URL (`@aws-sdk/cloudfront-signer`), see
   * `samples/cloudfront-url.ts`. Must return an absolute `https:` or `http:` URL.
   * The bucket policy must then let that reader (e.g. CloudFront's origin access
   * control) get the objects; the function's role no longer needs `s3:GetObject`.
   * @default - an S3 presigned GET URL from `signingClient`
   */
  readonly presign?: (input: PresignInput) => Promise<string> | string;
  /**
   * Honour reference mode: a request whose `Accept` names
   * `application/vnd.lambda-s3-spill.reference+json` gets `200` with
   * `{ url, expiresAt, bytes, contentType }` instead of a `303`, for clients that
   * cannot follow redirects.
   * @default true
   */
  readonly reference?: boolean;
  /**
   * Spill every spillable response (2xx with a body), whatever its size, for
   * routes whose answers are always large; a boolean or a function of the request.
   * @default false
   */
  readonly alwaysSpill?: PerRequestFlag;
  /**
   * S3 client used to upload and to sign, or a function `(bucket, request) => S3Client`
   * that picks one for the bucket (a bucket in another region needs its own
   * client); the function's answer is checked on each spill.
   * @default - one `new S3Client({})` per container, created at the first spill and reused
   */
  readonly s3Client?: S3ClientOption;
  /**
   * Lifetime of the presigned URL, in seconds, from 1 to 604,800 (7 days). Keep it
   * short: a URL signed with the function role's temporary credentials dies when
   * they expire, whatever this says; above 3,600 a warning is logged at creation.
   * @default 300
   */
  readonly expiresIn?: number;
  /**
   * Largest serialized result, in bytes, returned inline; one byte more spills.
   * It can only lower the threshold: per request the threshold is the smaller
   * of `maxBytes` and the front door's limit (1,000,000 behind an ALB,
   * 6,291,556 otherwise, 209,715,200 when `streaming`). At most 6,291,556
   * (`LAMBDA_RESPONSE_MAX_BYTES`); more is a `TypeError` at creation.
   * @default - the front door's limit
   */
  readonly maxBytes?: number;
  /**
   * The function streams its response (Middy 7
   * `executionMode: executionModeStreamifyResponse`, Middy 5/6
   * `streamifyResponse: true`). Middy does not show a middleware the response
   * stream, so say it here: results then pass untouched up to the streaming
   * limit (209,715,200 bytes) behind a Function URL or a REST API, and nothing
   * is ever answered inline compressed (a streamed body is sent as its bytes,
   * `isBase64Encoded` is ignored). `withS3Spill` detects a streaming handler
   * and refuses it.
   * @default false
   */
  readonly streaming?: boolean;
  /**
   * With `streaming`: hold up to this many bytes of the body before the
   * prelude is written. A body that ends within it is streamed as usual; a
   * longer one (a 2xx) is spilled and answered `303` (or the reference),
   * because past Lambda's first 6 MB a stream is sent at most 2 MB/s
   * (`STREAMING_BANDWIDTH_BYTES_PER_SECOND`) while a download from S3 is not
   * capped. Unset, streams pass as they are (up to 209,715,200 bytes): holding
   * bytes delays the first byte, which a token-by-token stream (a chat answer)
   * must not. The crossover measured by `npm run bench` is in
   * docs/streams.md. From 1 to 209,715,200; ignored without `streaming`.
   * @default undefined
   */
  readonly streamSpillBytes?: number;
  /**
   * The front door's integration timeout, in milliseconds: the answer must
   * reach API Gateway before it, or the client gets a 504 while the upload goes
   * on. The deadline of a spill is the earlier of the function's own
   * (`context.getRemainingTimeInMillis()`) and the request's arrival
   * (`requestContext.requestTimeEpoch` / `timeEpoch`) plus this. Set it for a
   * REST API whose timeout was raised. From 1 to 900,000.
   * @default - 29,000 behind a REST API, 30,000 behind an HTTP API, none behind a Function URL or ALB
   */
  readonly integrationTimeoutInMillis?: number;
  /**
   * A response over this many bytes that still fits is returned untouched and
   * logs one warning (`s3Spill response near the limit`: its size, the limit and
   * this threshold, through `logger`), so a team sees the limit coming before
   * anything spills. An integer from 1 to `maxBytes` (to 6,291,556 without
   * `maxBytes`, 209,715,200 with `streaming`); `false` turns it off. A
   * threshold at or above the limit in force (behind an ALB, 1,000,000) never warns.
   * @default - 90 % of the limit in force, rounded down: 5,662,400 for 6,291,556, 900,000 behind an ALB
   */
  readonly warnAtBytes?: number | false;
  /**
   * Builds the key after `keyPrefix` from the Middy request. The whole key is
   * checked on each spill: no leading `/`, no `.` or `..` segment, at most 1,024
   * bytes; a function that throws or returns a bad key gives `SpillConfigurationError` (500).
   * Request text in a key makes it guessable: keep a random part.
   * @default - a UTC timestamp and a random UUID: `20261121T051000123Z-1b4e...`
   */
  readonly key?: (request: MiddyLikeRequest) => string;
  /**
   * Extra `PutObject` parameters: `ServerSideEncryption`, `SSEKMSKeyId`,
   * `StorageClass`, `Metadata`, `Tagging`, ... Content headers come from the response.
   * @default {}
   */
  readonly putObjectParams?: PutObjectParams;
  /**
   * Time kept free before the deadline (the function's, or the front door's
   * integration timeout when it comes first), in milliseconds: an upload still
   * running then is aborted with `SpillTimeoutError`, so an error handler can
   * still answer (a timeout gives the client a bare 502 and nothing in the logs).
   * @default 1000
   */
  readonly timeoutEarlyInMillis?: number;
  /**
   * Bodies of at least this many bytes are uploaded as a multipart upload with
   * parallel parts (`@aws-sdk/lib-storage`); smaller ones with one `PutObject`.
   *
   * Why 32 MiB: `npm run bench` (section 9) spills results of 7, 20 and 50 MB
   * (bodies of 5.8, 16.5 and 41 MB) through a link model of one connection to
   * S3, 85 MB/s each way and a 5 ms round trip (the Amazon S3 User Guide,
   * "Performance guidelines for Amazon S3": one concurrent request for each
   * 85-90 MB/s; the round trip is assumed). In the two runs on a quiet machine,
   * the multipart settings tried (5, 8 or 16 MiB parts, 4 or 8 at once) beat
   * one `PutObject` for the 41 MB body (all six in one run, five in the other,
   * by 2 to 34 %), while for the 16.5 MB body the best (5 MiB parts, 4 at once)
   * was 5 to 7 % faster and the others mixed (on a loaded machine, three runs,
   * multipart won nothing consistently). So one
   * `PutObject` up to 32 MiB, where a body has at least two 16 MiB parts to
   * send at once. The local S3 assembles the parts inside
   * CompleteMultipartUpload (65 to 430 ms at these sizes); without that time
   * multipart was 13 to 59 % faster, so on real S3 a lower threshold may pay:
   * measure on your own link. On loopback (no per-connection cap) multipart
   * costs about twice one `PutObject` (section 3): raise the threshold for a
   * local S3 if that matters.
   * @default 33_554_432 (32 MiB)
   */
  readonly multipartThreshold?: number;
  /**
   * Part size of a multipart upload, in bytes (S3's minimum is 5 MiB). Parts are
   * views of the body's bytes, not copies.
   *
   * Why 16 MiB: on the link model of `npm run bench` (section 9; see
   * `multipartThreshold`), 16 MiB parts with 8 at once had the best mean time
   * for the 41 MB body over the two quiet runs (486 ms, against 492 to 534 ms
   * for the other settings and 595 ms for one `PutObject`): fewer parts, fewer
   * requests and less assembly.
   * @default 16_777_216 (16 MiB)
   */
  readonly partSize?: number;
  /**
   * Parts of a multipart upload sent at once.
   *
   * Why 8: on the link model of `npm run bench` (section 9), 8 parts at once
   * were faster than 4 in 11 of 15 comparisons for the 41 MB body (three part
   * sizes, five runs): each connection is capped (85 MB/s), so throughput grows
   * with the connections.
   * @default 8
   */
  readonly queueSize?: number;
  /**
   * Compress an oversized body before spilling it, when the client accepts a
   * coding (`Accept-Encoding`, see `encodings`) and its media type compresses
   * (`compressibleTypes`), and it has no `Content-Encoding` or
   * `Cache-Control: no-transform`. When the compressed body's base64 fits the
   * limit it is returned inline (`Content-Encoding`, `isBase64Encoded: true`,
   * `Vary: Accept-Encoding`), with no S3 round trip; otherwise the compressed
   * bytes are spilled, with `Content-Encoding` on the object. A response that
   * fits is never answered compressed; with `alwaysSpill`, its spilled object
   * is compressed like any other. A boolean or a function of the request; the
   * response header `X-S3-Spill: no-compress` / `compress` overrides it.
   * @default true
   */
  readonly compress?: PerRequestFlag;
  /**
   * Media types worth compressing: patterns (`type/subtype`, `type/*`,
   * `type/*+suffix`; a leading `!` excludes and wins) or a predicate of the media
   * type (lower case, no parameters). Not in the default list: images (but SVG,
   * BMP), audio, video, archives, PDF, WOFF fonts, `application/octet-stream`,
   * responses without a `Content-Type`.
   * @default COMPRESSIBLE_TYPES: text/*, JSON and +json, XML and +xml, JavaScript, NDJSON, YAML, form data, wasm, tar, ttf/otf, bmp
   */
  readonly compressibleTypes?: readonly string[] | ((mediaType: string) => boolean);
  /**
   * Content codings offered, the server's preference first when the client
   * weighs several equally. Levels (measured, `bench/compression.ts`): zstd 4,
   * br 3, gzip 4 (`COMPRESSION_LEVELS`).
   * @default ['zstd', 'br', 'gzip'] (without 'zstd' on a Node.js without it, before 22.15)
   */
  readonly encodings?: readonly ContentCoding[];
  /**
   * Return compressed bodies inline to API Gateway REST APIs too.
   * A REST API decodes an `isBase64Encoded` body only when its `binaryMediaTypes`
   * match the response (or the request's `Accept`); otherwise the client gets
   * the base64 text. Turn on when they do (for example `*\/*`). Off, REST API
   * responses are compressed only when spilled. HTTP APIs (payload 1.0 and 2.0)
   * always decode base64 and get compressed bodies inline either way.
   * @default false
   */
  readonly compressInlineOnRestApi?: boolean;
  /**
   * Reuse identical bodies: the object key is a hash of the stored bytes and
   * headers, under the hour in which the URL expires; a spill whose object is
   * already there uploads nothing and answers a fresh presigned URL. Checked by
   * `HeadObject` then a conditional `PutObject` (`If-None-Match: *`). A boolean
   * or a function of the request; `X-S3-Spill: no-reuse` / `reuse` overrides it.
   * The `key` function then names only the fallback objects (see
   * docs/compression-and-reuse.md).
   * @default false
   */
  readonly reuse?: PerRequestFlag;
  /**
   * Days after which the bucket's lifecycle rule deletes objects under the
   * prefix (`SpillBucket`'s `expiration`, the SAM template's `SpillExpirationDays`).
   * Reuse checks with it that a reused object outlives every URL given for it:
   * `expiresIn + 3,900` seconds must be at most `lifecycleDays` days.
   * @default 1
   */
  readonly lifecycleDays?: number;
}

/** Every option, the undefined ones included (Middy's `defaults` convention); frozen. */
export const defaults = Object.freeze({
  bucket: undefined as PerRequest<string> | undefined,
  keyPrefix: undefined as PerRequest<string> | undefined,
  s3Client: undefined as S3ClientOption | undefined,
  expiresIn: 300,
  maxBytes: undefined as number | undefined,
  streaming: false,
  streamSpillBytes: undefined as number | undefined,
  integrationTimeoutInMillis: undefined as number | undefined,
  ...OBSERVABILITY_DEFAULTS,
  warnAtBytes: undefined as number | false | undefined,
  key: undefined as ((request: MiddyLikeRequest) => string) | undefined,
  putObjectParams: {} as PutObjectParams,
  timeoutEarlyInMillis: 1000,
  multipartThreshold: 32 * 1024 * 1024,
  partSize: 16 * 1024 * 1024,
  queueSize: 8,
  signingClient: undefined as S3ClientOption | undefined,
  presign: undefined as S3SpillOptions['presign'],
  reference: true,
  alwaysSpill: false as PerRequestFlag,
  serverSideEncryption: undefined as ObjectOptions['serverSideEncryption'],
  sseKmsKeyId: undefined as string | undefined,
  bucketKeyEnabled: undefined as boolean | undefined,
  storageClass: undefined as ObjectOptions['storageClass'],
  metadata: undefined as ObjectOptions['metadata'],
  tags: undefined as ObjectOptions['tags'],
  contentDisposition: undefined as ObjectOptions['contentDisposition'],
  compress: true as PerRequestFlag,
  compressibleTypes: COMPRESSIBLE_TYPES as readonly string[] | ((mediaType: string) => boolean),
  encodings: DEFAULT_ENCODINGS,
  compressInlineOnRestApi: false,
  reuse: false as PerRequestFlag,
  lifecycleDays: 1,
});

type Defaults = typeof defaults;

/** The options after defaults and environment are applied. */
export interface ResolvedOptions extends Omit<Defaults, 'bucket' | 'keyPrefix' | 'logger'> {
  readonly bucket: PerRequest<string>;
  readonly keyPrefix: PerRequest<string>;
  readonly logger: SpillLogger | undefined;
}

/** S3 multipart uploads take parts of at least 5 MiB (Amazon S3 User Guide, multipart upload limits). */
const MIN_PART_SIZE = 5 * 1024 * 1024;

/**
 * Merge options over the defaults and the environment, and validate them.
 *
 * @throws TypeError naming the option, for a wrong type or range, or an unknown option (and the closest known one)
 * @throws SpillConfigurationError when no bucket is given or set in `S3_SPILL_BUCKET`
 */
export function resolveOptions(options: S3SpillOptions, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  const merged: Defaults = mergeOptions(options, defaults, 's3Spill');
  const bucket = resolveBucket(merged.bucket, env, [SPILL_CONTRACT.bucketEnv], 's3Spill');
  const keyPrefix = resolveKeyPrefix(merged.keyPrefix, env, SPILL_CONTRACT.prefixEnv, SPILL_CONTRACT.defaultPrefix);
  integerIn('expiresIn', merged.expiresIn, 1, PRESIGNED_URL_MAX_EXPIRES_IN);
  // maxBytes only lowers the threshold: above Lambda's own limit it would let a response through that Lambda refuses.
  if (merged.maxBytes !== undefined) integerIn('maxBytes', merged.maxBytes, 1, LAMBDA_RESPONSE_MAX_BYTES);
  checkBoolean('streaming', merged.streaming);
  if (merged.streamSpillBytes !== undefined) integerIn('streamSpillBytes', merged.streamSpillBytes, 1, STREAMING_RESPONSE_MAX_BYTES);
  if (merged.integrationTimeoutInMillis !== undefined) {
    integerIn('integrationTimeoutInMillis', merged.integrationTimeoutInMillis, 1, 900_000);
  }
  integerIn('timeoutEarlyInMillis', merged.timeoutEarlyInMillis, 0, 900_000);
  integerIn('multipartThreshold', merged.multipartThreshold, MIN_PART_SIZE, Number.MAX_SAFE_INTEGER);
  integerIn('partSize', merged.partSize, MIN_PART_SIZE, 5 * 1024 * 1024 * 1024);
  integerIn('queueSize', merged.queueSize, 1, 64);
  if (merged.key !== undefined && typeof merged.key !== 'function') throw new TypeError('key must be a function');
  checkPutObjectParams(merged.putObjectParams);
  checkS3Client('s3Client', merged.s3Client, true);
  checkObservability(merged);
  checkWarnAtBytes(merged.warnAtBytes, merged.maxBytes ?? ((merged.streaming as boolean) ? STREAMING_RESPONSE_MAX_BYTES : LAMBDA_RESPONSE_MAX_BYTES));
  checkS3Client('signingClient', merged.signingClient, true);
  if (merged.presign !== undefined && typeof merged.presign !== 'function') throw new TypeError('presign must be a function');
  checkBoolean('reference', merged.reference);
  checkFlag('alwaysSpill', merged.alwaysSpill);
  checkObjectOptions(merged);
  checkCompressionOptions(merged);
  return { ...merged, bucket, keyPrefix };
}

const CODINGS: readonly ContentCoding[] = ['zstd', 'br', 'gzip'];

/** @throws TypeError unless `encodings` lists codings this runtime can produce */
function checkEncodings(encodings: unknown): void {
  if (!Array.isArray(encodings) || encodings.some((c) => !CODINGS.includes(c as ContentCoding))) {
    throw new TypeError(`encodings must be an array of ${CODINGS.map((c) => `'${c}'`).join(', ')}`);
  }
  if (!ZSTD_AVAILABLE && encodings.includes('zstd')) {
    throw new TypeError(`encodings: this Node.js (${process.version}) has no Zstandard; it needs 22.15 or later`);
  }
}

/**
 * Check the compression and reuse options.
 *
 * @throws TypeError naming the option
 */
function checkCompressionOptions(merged: Defaults): void {
  checkFlag('compress', merged.compress);
  checkFlag('reuse', merged.reuse);
  // The defaults are valid by construction: a cold start with them checks nothing here.
  if (merged.compressibleTypes !== COMPRESSIBLE_TYPES) checkTypePatterns(merged.compressibleTypes);
  if (merged.encodings !== DEFAULT_ENCODINGS) checkEncodings(merged.encodings);
  checkBoolean('compressInlineOnRestApi', merged.compressInlineOnRestApi);
  integerIn('lifecycleDays', merged.lifecycleDays, 1, 36_500);
  // Checked now when reuse may be on; a response that asks for it by header is reused only if this holds.
  if (merged.reuse !== false) checkReuseLifetime(merged.expiresIn, merged.lifecycleDays);
}
