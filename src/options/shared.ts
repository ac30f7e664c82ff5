/**
 * The options every utility shares, declared once: where its objects are
 * (`bucket`, `keyPrefix`, `s3Client`) and what it reports through (`logger`,
 * `metrics`), with their TSDoc and their defaults. A utility's options extend
 * these interfaces and spread these defaults; what one utility alone does with
 * an option is said in that utility's options summary. The environment
 * variables and default prefixes come from `contract.ts`; `resolve.ts`
 * resolves and checks the options.
 *
 * @module options/shared
 */
import type { SpillLogger } from '../logging/default-logger.js';
import type { MetricsLike } from '../logging/metrics.js';
import type { S3ClientLike } from '../s3/client.js';

/**
 * Where a utility keeps its objects: the bucket, the key prefix and the S3
 * client. Each utility reads its own environment variables and has its own
 * default prefix; `SpillBucket` (`lambda-s3-spill/cdk`) sets the variables
 * and scopes the grants and the lifecycle rule to the prefix.
 */
export interface S3LocationOptions {
  /**
   * The bucket the utility stores its objects in and reads them from. Where it
   * resolves references, the only bucket a reference may name, unless its
   * `allowedBuckets` says otherwise. Checked against the bucket naming rules at
   * creation (a `TypeError`).
   * @default process.env.S3_SPILL_BUCKET (`s3Offload` and `resolveOffloaded` read `S3_OFFLOAD_BUCKET` first); none set: `SpillConfigurationError` at creation (`LargeMessageConfigurationError` in `lambda-s3-spill/messages`)
   */
  readonly bucket?: string;
  /**
   * Key prefix of the utility's objects: everything it stores goes under it,
   * and where it resolves references, a key outside it is refused before
   * anything is read. The IAM grants and the lifecycle rule cover
   * `<keyPrefix>*`: end it with `/`. No leading `/`, no `.` or `..` segment, no
   * control characters; where references are resolved (`lambda-s3-spill/offload`,
   * `s3Serdes`, `lambda-s3-spill/uploads`), no backslash or empty segment (`//`)
   * either. A `TypeError` at creation.
   * @default - the utility's environment variable, else its own prefix: `S3_OFFLOAD_PREFIX`, else `'offload/'` (offload); `S3_DURABLE_PREFIX`, else `'durable/'` (`s3Serdes`); `S3_SPILL_UPLOAD_PREFIX`, else `'uploads/'` (uploads); `S3_CACHE_PREFIX`, else `'cache/'` (cache); `S3_MESSAGES_PREFIX`, else `'messages/'` (messages)
   */
  readonly keyPrefix?: string;
  /**
   * The S3 client the utility stores, reads, deletes and signs with.
   * @default - one `new S3Client({})` per container, shared by every utility, created on first use
   */
  readonly s3Client?: S3ClientLike;
}

/** A utility's `logger`. */
export interface LoggerOption {
  /**
   * Powertools logger (`@aws-lambda-powertools/logger`) for the utility's
   * records and warnings; its options summary says which. Presigned URLs,
   * POST policies and upload references are never logged.
   * @default - a Powertools `Logger` with the function's `POWERTOOLS_SERVICE_NAME`, or the service name `lambda-s3-spill` when it is not set, loaded on first use
   */
  readonly logger?: SpillLogger;
}

/** A utility's `metrics`. */
export interface MetricsOption {
  /**
   * A Powertools `Metrics` (`@aws-lambda-powertools/metrics`, optional peer)
   * that receives the utility's metrics, a Count and a Bytes metric per
   * outcome (its options summary names them), as CloudWatch EMF under its
   * namespace, its `service` and default dimensions, and the dimension
   * `utility` (`'spill'`, `'offload'`, `'uploads'`, `'cache'`, `'messages'`).
   * Published at once through `metrics.singleMetric()`: the instance's own
   * stored metrics are left for `logMetrics` or `publishStoredMetrics()`. A
   * metric that cannot be emitted costs a warning, never the invocation.
   * Checked at creation (`addMetric` and `singleMetric`, a `TypeError`).
   * @default - no metrics
   */
  readonly metrics?: MetricsLike;
}

/** A utility's `logger` and `metrics`. */
export interface ObservabilityOptions extends LoggerOption, MetricsOption {}

/** The defaults of {@link S3LocationOptions}: all from the environment or the utility's contract at resolution. */
export const S3_LOCATION_DEFAULTS = Object.freeze({
  bucket: undefined as S3LocationOptions['bucket'],
  keyPrefix: undefined as S3LocationOptions['keyPrefix'],
  s3Client: undefined as S3LocationOptions['s3Client'],
});

/** The defaults of {@link ObservabilityOptions}: the default logger is made on first use, no metrics. */
export const OBSERVABILITY_DEFAULTS = Object.freeze({
  logger: undefined as LoggerOption['logger'],
  metrics: undefined as MetricsOption['metrics'],
});
