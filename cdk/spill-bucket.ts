/**
 * `SpillBucket`: the bucket `s3Spill()` writes to, with secure defaults, and the
 * grant that lets a function write and sign under the spill prefix only.
 *
 * @module spill-bucket
 */
import { Annotations, type Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CACHE_CONTRACT, MESSAGES_CONTRACT, OFFLOAD_CONTRACT, UPLOADS_CONTRACT } from '../src/contract.js';
import { SpillBucketPropsError } from './errors.js';
import {
  acknowledgeNoAccessLogs,
  acknowledgePrefixWildcard,
  DURABLE_PREFIX_WILDCARD_REASON,
  OFFLOAD_PREFIX_WILDCARD_REASON,
  PREFIX_WILDCARD_REASON,
} from './acknowledgements.js';
import {
  DURABLE_DEFAULTS,
  DURABLE_ENV,
  DURABLE_KMS_ACTIONS,
  DURABLE_S3_ACTIONS,
  OFFLOAD_DEFAULTS,
  OFFLOAD_ENV,
  OFFLOAD_KMS_ACTIONS,
  OFFLOAD_READ_S3_ACTIONS,
  OFFLOAD_WRITE_S3_ACTIONS,
  SPILL_BUCKET_DEFAULTS,
  SPILL_BUCKET_FIXED_SETTINGS,
  SPILL_ENV,
  SPILL_KMS_ACTIONS,
  SPILL_S3_ACTIONS,
} from './defaults.js';
import type { SpillBucketProps } from './spill-bucket-props.js';
import { grantOnCache, SPILL_CACHE_DEFAULTS } from './cache.js';
import {
  grantKeepOnUploads,
  grantOnUploads,
  SPILL_UPLOADS_DEFAULTS,
  UPLOAD_FORM_S3_ACTIONS,
  UPLOAD_READ_S3_ACTIONS,
  uploadsCorsRules,
  uploadsLifecycleRule,
  validateUploadsProps,
  type UploadKeepDestination,
} from './uploads.js';
import { checkPrefix, checkPrefixApart, type NamedPrefix, validateSpillBucketProps } from './validate-props.js';
import {
  MESSAGES_KMS_ACTIONS,
  MESSAGES_READ_S3_ACTIONS,
  MESSAGES_WILDCARD_REASON,
  MESSAGES_WRITE_S3_ACTIONS,
  messagesLifecycleRule,
  SPILL_MESSAGES_DEFAULTS,
  validateMessagesProps,
} from './messages.js';
import { grantOnPrefix } from './prefix-grant.js';

/**
 * The S3 bucket that oversized Lambda responses spill into, in one line: public
 * access blocked, TLS only, encrypted, unversioned, spilled objects expired and
 * unfinished multipart uploads aborted under the prefix.
 *
 * **Browsers.** A page's `fetch()` follows the `303` to S3 by itself; the
 * bucket's CORS rule (`corsAllowedOrigins`, `corsAllowedHeaders`) decides
 * whether the page may read the body (the `303` itself needs the API's CORS
 * headers). From a page on another origin than the API, the redirect away from
 * the API's origin taints the request's origin, and the GET reaches S3 with
 * `Origin: null`; from the API's own origin the page's origin is kept. S3
 * answers a rule that allows `*` with `Access-Control-Allow-Origin: *` and no
 * `Access-Control-Allow-Credentials`, and a rule that lists the origin with that
 * origin echoed and `Access-Control-Allow-Credentials: true`. A credentialed
 * `fetch` (`credentials: 'include'`, or XHR `withCredentials`, as a
 * cookie-authenticated API needs) accepts only the second: the browser wants
 * `Access-Control-Allow-Origin` to equal the request's origin, here the string
 * `null`, together with `Access-Control-Allow-Credentials: true`, so `*` cannot
 * answer it. For such pages `corsAllowedOrigins` must list `'null'` and leave
 * `'*'` out: all the origins share one rule, and a rule that lists `*` is
 * answered with `*` (LocalStack and s3rver do so; no AWS record of a rule
 * listing both was found, and leaving `*` out is right either way). Without
 * credentials (`fetch`'s default, `'same-origin'`, sends none to S3), `['*']`
 * serves every page. Listing `'null'` admits every opaque origin (sandboxed
 * frames, `data:` URLs) as well, which costs nothing here: the presigned URL is
 * the credential, and whoever holds it can read the object anyway.
 *
 * Sources: Fetch Standard, "HTTP-redirect fetch" (the tainted origin) and "CORS
 * check"; Amazon S3 User Guide, "How does Amazon S3 evaluate the CORS
 * configuration on a bucket?"; S3's answers as recorded against AWS in
 * LocalStack's `tests/aws/services/s3/test_s3_cors.snapshot.json`
 * (`test_cors_match_origins`, `test_put_cors_default_values`).
 *
 * @example
 * ```ts
 * import { Stack } from 'aws-cdk-lib';
 * import * as lambda from 'aws-cdk-lib/aws-lambda';
 * import { SpillBucket } from 'lambda-s3-spill/cdk';
 * declare const stack: Stack;
 * declare const fn: lambda.Function;
 * const spill = new SpillBucket(stack, 'Spill');
 * spill.connect(fn); // grant + S3_SPILL_BUCKET and S3_SPILL_PREFIX
 * ```
 */
export class SpillBucket extends Construct {
  /** The bucket spilled objects go to: the new one, or the `bucket` prop. */
  public readonly bucket: s3.IBucket;

  /** Key prefix of spilled objects; the grant and the lifecycle rule are scoped to it. */
  public readonly prefix: string;

  /** The KMS key of the bucket, when it uses SSE-KMS with a customer managed key. */
  public readonly encryptionKey?: kms.IKey;

  /** Key prefix of offloaded results (`s3Offload`); their grants and lifecycle rule are scoped to it. */
  public readonly offloadPrefix: string;

  /** The offload lifecycle rule's expiration. */
  private readonly offloadExpiration: NonNullable<SpillBucketProps['offloadExpiration']>;

  /** Whether offloading was wired (its lifecycle rule added, or warned about for an existing bucket). */
  private offloadWired = false;

  /** Key prefix of values `s3Serdes` stores for durable functions; their grant and lifecycle rule are scoped to it. */
  public readonly durablePrefix: string;

  /** The durable lifecycle rule's expiration. */
  private readonly durableExpiration: NonNullable<SpillBucketProps['durableExpiration']>;

  /** Whether durable functions were wired (their lifecycle rule added, or warned about for an existing bucket). */
  private durableWired = false;

  /** Key prefix of the uploads (the `uploads` prop), or `undefined` without uploads. */
  public readonly uploadsPrefix?: string;

  /** Key prefix of the bodies of large SQS and SNS messages (the `messages` prop), or `undefined` without messages. */
  public readonly messagesPrefix?: string;

  /** Key prefix of the response cache (`s3Cache`); its grant and lifecycle rule are scoped to it. */
  public readonly cachePrefix: string;

  /** The cache lifecycle rule's expiration. */
  private readonly cacheExpiration: NonNullable<NonNullable<SpillBucketProps['cache']>['expiration']>;

  /** Whether the cache was wired (its lifecycle rule added, or warned about for an existing bucket). */
  private cacheWired = false;

  public constructor(scope: Construct, id: string, props: SpillBucketProps = {}) {
    super(scope, id);
    validateSpillBucketProps(props);
    this.prefix = props.prefix ?? SPILL_BUCKET_DEFAULTS.prefix;
    if (props.uploads !== undefined) {
      validateUploadsProps(props.uploads, this.prefix, props.bucket !== undefined);
      this.uploadsPrefix = props.uploads.prefix ?? SPILL_UPLOADS_DEFAULTS.prefix;
    }
    this.offloadPrefix = props.offloadPrefix ?? OFFLOAD_DEFAULTS.offloadPrefix;
    this.durablePrefix = props.durablePrefix ?? DURABLE_DEFAULTS.durablePrefix;
    if (props.messages !== undefined) {
      const others: NamedPrefix[] = [
        ['spill', this.prefix],
        ['offload', this.offloadPrefix],
        ['durable', this.durablePrefix],
        ['uploads', this.uploadsPrefix],
      ];
      validateMessagesProps(props.messages, others, props.bucket !== undefined);
      this.messagesPrefix = props.messages.prefix ?? SPILL_MESSAGES_DEFAULTS.prefix;
    }
    this.offloadExpiration = props.offloadExpiration ?? OFFLOAD_DEFAULTS.offloadExpiration;
    this.durableExpiration = props.durableExpiration ?? DURABLE_DEFAULTS.durableExpiration;
    if (props.bucket === undefined) {
      this.bucket = this.createBucket(props);
    } else {
      this.bucket = props.bucket;
      Annotations.of(this).addWarningV2(
        'lambda-s3-spill:existing-bucket',
        `SpillBucket uses an existing bucket: make sure it blocks public access, requires TLS, and expires objects under "${this.prefix}"`,
      );
      if (this.messagesPrefix !== undefined) {
        Annotations.of(this).addWarningV2(
          'lambda-s3-spill:existing-bucket-messages',
          `SpillBucket uses an existing bucket: make sure it expires objects under "${this.messagesPrefix}" after the queues' retention plus their dead-letter queues'`,
        );
      }
    }
    this.encryptionKey = this.bucket.encryptionKey;
    this.cachePrefix = props.cache?.prefix ?? SPILL_CACHE_DEFAULTS.prefix;
    this.cacheExpiration = props.cache?.expiration ?? SPILL_CACHE_DEFAULTS.expiration;
    if (props.cache !== undefined) this.wireCache();
  }

  /**
   * Grant what `s3Cache()`, `withS3Cache()` and `invalidateCached()` need, on
   * `<cachePrefix>*` only: `s3:GetObject`, `s3:PutObject`,
   * `s3:AbortMultipartUpload`, `s3:DeleteObject`, and `s3:ListBucket` limited
   * to keys under the prefix (a target's variants are found by listing); with a
   * KMS key, `kms:GenerateDataKey` and `kms:Decrypt`. Adds the cache lifecycle
   * rule on first use.
   *
   * @param grantee - the principal, usually a function
   * @returns the combined grant
   * @example
   * ```ts
   * import * as iam from 'aws-cdk-lib/aws-iam';
   * import type { SpillBucket } from 'lambda-s3-spill/cdk';
   * declare const spill: SpillBucket;
   * declare const role: iam.Role;
   * spill.grantCache(role).assertSuccess();
   * ```
   */
  public grantCache(grantee: iam.IGrantable): iam.Grant {
    this.wireCache();
    return grantOnCache(this.bucket, this.cachePrefix, grantee);
  }

  /**
   * Wire a function that uses `s3Cache()` / `withS3Cache()`: {@link SpillBucket.grantCache}
   * and the environment they read (`S3_SPILL_BUCKET`, `S3_CACHE_PREFIX`).
   *
   * @param fn - the function
   * @returns the grant
   * @example
   * ```ts
   * import * as lambda from 'aws-cdk-lib/aws-lambda';
   * import type { SpillBucket } from 'lambda-s3-spill/cdk';
   * declare const spill: SpillBucket;
   * declare const fn: lambda.Function;
   * spill.connect(fn);
   * spill.connectCache(fn);
   * ```
   */
  public connectCache(fn: lambda.Function): iam.Grant {
    fn.addEnvironment(SPILL_ENV.bucket, this.bucket.bucketName);
    fn.addEnvironment(CACHE_CONTRACT.prefixEnv, this.cachePrefix);
    return this.grantCache(fn);
  }

  /** The cache prefix's lifecycle rule, once. */
  private wireCache(): void {
    if (this.cacheWired) return;
    this.cacheWired = true;
    if (this.bucket instanceof s3.Bucket && this.bucket.node.scope === this) {
      this.bucket.addLifecycleRule({
        id: 'ExpireCachedResponses',
        prefix: this.cachePrefix,
        expiration: this.cacheExpiration,
        abortIncompleteMultipartUploadAfter: SPILL_BUCKET_FIXED_SETTINGS.abortIncompleteMultipartUploadAfter,
      });
    } else {
      Annotations.of(this).addWarningV2(
        'lambda-s3-spill:existing-bucket-cache',
        `SpillBucket uses an existing bucket: make sure it expires objects under "${this.cachePrefix}"`,
      );
    }
  }

  /**
   * Grant what the middleware does, on `<prefix>*` only: `s3:PutObject` (multipart
   * included), `s3:AbortMultipartUpload`, `s3:GetObject` (the presigned URL carries
   * the signer's permissions), and, with a KMS key, `kms:GenerateDataKey` and
   * `kms:Decrypt` on that key. Nothing on the bucket itself or its other keys.
   *
   * The grant's prefix wildcard is acknowledged for cdk-nag (AwsSolutions-IAM5,
   * this exact resource only) on the grantee.
   *
   * @param grantee - the principal, usually a function
   * @returns the combined grant
   * @example
   * ```ts
   * import * as iam from 'aws-cdk-lib/aws-iam';
   * import type { SpillBucket } from 'lambda-s3-spill/cdk';
   * declare const spill: SpillBucket;
   * declare const role: iam.Role;
   * spill.grantSpill(role).assertSuccess();
   * ```
   */
  public grantSpill(grantee: iam.IGrantable): iam.Grant {
    return this.grantOnPrefix(grantee, this.prefix, SPILL_S3_ACTIONS, SPILL_KMS_ACTIONS, PREFIX_WILDCARD_REASON);
  }

  /**
   * Wire a function to the bucket in one call: {@link SpillBucket.grantSpill} and
   * the environment `s3Spill()` reads (`S3_SPILL_BUCKET`, `S3_SPILL_PREFIX`).
   *
   * @param fn - the function whose handler uses `s3Spill()`
   * @returns the grant
   * @example
   * ```ts
   * import * as lambda from 'aws-cdk-lib/aws-lambda';
   * import type { SpillBucket } from 'lambda-s3-spill/cdk';
   * declare const spill: SpillBucket;
   * declare const fn: lambda.Function;
   * spill.connect(fn);
   * ```
   */
  public connect(fn: lambda.Function): iam.Grant {
    fn.addEnvironment(SPILL_ENV.bucket, this.bucket.bucketName);
    fn.addEnvironment(SPILL_ENV.prefix, this.prefix);
    return this.grantSpill(fn);
  }

  /**
   * Grant a producer what `s3Offload()` needs to store results, on
   * `<offloadPrefix>*` only: `s3:PutObject` (multipart included) and
   * `s3:AbortMultipartUpload`, and with a KMS key `kms:GenerateDataKey` and
   * `kms:Decrypt` (completing a multipart upload). No read. Adds the offload
   * lifecycle rule on first use.
   *
   * @param grantee - the principal, usually the function that returns large results
   * @returns the combined grant
   * @example
   * ```ts
   * import type * as lambda from 'aws-cdk-lib/aws-lambda';
   * import type { SpillBucket } from 'lambda-s3-spill/cdk';
   * declare const spill: SpillBucket;
   * declare const producer: lambda.Function;
   * spill.grantOffloadWrite(producer);
   * ```
   */
  public grantOffloadWrite(grantee: iam.IGrantable): iam.Grant {
    return this.grantOffload(grantee, OFFLOAD_WRITE_S3_ACTIONS, OFFLOAD_KMS_ACTIONS.write);
  }

  /**
   * Grant a consumer what resolving references needs (`s3Offload`'s `before`,
   * `resolveOffloaded`, a Step Functions `aws-sdk:s3:getObject` task), on
   * `<offloadPrefix>*` only: `s3:GetObject`, and with a KMS key `kms:Decrypt`;
   * also `s3:DeleteObject` with `{ deleteAfterUse: true }` (for
   * `s3Offload({ deleteAfterUse: true })` and `resolveOffloaded(value, { deleteAfterUse: true })`).
   * Adds the offload lifecycle rule on first use.
   *
   * @param grantee - the principal: a function that only resolves, a state machine, a caller's role
   * @param options - `deleteAfterUse`: also `s3:DeleteObject`
   * @returns the combined grant
   * @example
   * ```ts
   * import type * as iam from 'aws-cdk-lib/aws-iam';
   * import type { SpillBucket } from 'lambda-s3-spill/cdk';
   * declare const spill: SpillBucket;
   * declare const callerRole: iam.Role;
   * spill.grantOffloadRead(callerRole);
   * ```
   */
  public grantOffloadRead(grantee: iam.IGrantable, options: { readonly deleteAfterUse?: boolean } = {}): iam.Grant {
    const actions = options.deleteAfterUse === true ? [...OFFLOAD_READ_S3_ACTIONS, ...OFFLOAD_CONTRACT.deleteS3Actions] : OFFLOAD_READ_S3_ACTIONS;
    return this.grantOffload(grantee, actions, OFFLOAD_KMS_ACTIONS.read);
  }

  /**
   * Wire a function that uses `s3Offload()` / `withS3Offload()`: the
   * environment (`S3_OFFLOAD_BUCKET`, `S3_OFFLOAD_PREFIX`) and, by default,
   * both grants (a function in a chain both receives and returns references).
   *
   * @param fn - the function
   * @param access - `write` (store results) and `read` (resolve references), both `true` by default;
   *   `deleteAfterUse` (with `read`): also `s3:DeleteObject`, for `s3Offload({ deleteAfterUse: true })`
   * @returns the combined grant
   * @example
   * ```ts
   * import type * as lambda from 'aws-cdk-lib/aws-lambda';
   * import type { SpillBucket } from 'lambda-s3-spill/cdk';
   * declare const spill: SpillBucket;
   * declare const first: lambda.Function;
   * declare const second: lambda.Function;
   * spill.connectOffload(first, { read: false }); // returns large results only
   * spill.connectOffload(second); // receives them (and may return large ones)
   * ```
   */
  public connectOffload(
    fn: lambda.Function,
    access: { readonly write?: boolean; readonly read?: boolean; readonly deleteAfterUse?: boolean } = {},
  ): iam.Grant {
    const { write = true, read = true, deleteAfterUse = false } = access;
    if (!write && !read) throw new TypeError('SpillBucket.connectOffload: write and read cannot both be false');
    if (deleteAfterUse && !read) throw new TypeError('SpillBucket.connectOffload: deleteAfterUse needs read');
    fn.addEnvironment(OFFLOAD_ENV.bucket, this.bucket.bucketName);
    fn.addEnvironment(OFFLOAD_ENV.prefix, this.offloadPrefix);
    const grants = [...(write ? [this.grantOffloadWrite(fn)] : []), ...(read ? [this.grantOffloadRead(fn, { deleteAfterUse })] : [])];
    return grants.reduce((all, grant) => all.combine(grant));
  }

  private grantOffload(grantee: iam.IGrantable, actions: readonly string[], kmsActions: readonly string[]): iam.Grant {
    this.wireOffload();
    return this.grantOnPrefix(grantee, this.offloadPrefix, actions, kmsActions, OFFLOAD_PREFIX_WILDCARD_REASON);
  }

  /** The offload prefix's lifecycle rule, once: objects expire, unfinished multipart uploads are aborted. */
  private wireOffload(): void {
    if (this.offloadWired) return;
    this.offloadWired = true;
    this.addPrefixRule('ExpireOffloadedObjects', this.offloadPrefix, this.offloadExpiration, 'existing-bucket-offload',
      `expires objects under "${this.offloadPrefix}"`);
  }

  /**
   * Grant a durable function what `s3Serdes()` needs, on `<durablePrefix>*`
   * only: `s3:PutObject` (multipart included), `s3:AbortMultipartUpload` and
   * `s3:GetObject` (it stores large step results and reads them back on
   * replay), and with a KMS key `kms:GenerateDataKey` and `kms:Decrypt`. Adds
   * the durable lifecycle rule (`ExpireDurableObjects`) on first use.
   *
   * @param grantee - the principal, usually the durable function
   * @returns the combined grant
   * @example
   * ```ts
   * import type * as lambda from 'aws-cdk-lib/aws-lambda';
   * import type { SpillBucket } from 'lambda-s3-spill/cdk';
   * declare const spill: SpillBucket;
   * declare const workflow: lambda.Function;
   * spill.grantDurable(workflow);
   * ```
   */
  public grantDurable(grantee: iam.IGrantable): iam.Grant {
    this.wireDurable();
    return this.grantOnPrefix(grantee, this.durablePrefix, DURABLE_S3_ACTIONS, DURABLE_KMS_ACTIONS, DURABLE_PREFIX_WILDCARD_REASON);
  }

  /**
   * Wire a durable function that uses `s3Serdes()`: the environment
   * (`S3_SPILL_BUCKET`, `S3_DURABLE_PREFIX`) and {@link SpillBucket.grantDurable}.
   *
   * @param fn - the durable function
   * @returns the grant
   * @example
   * ```ts
   * import type * as lambda from 'aws-cdk-lib/aws-lambda';
   * import type { SpillBucket } from 'lambda-s3-spill/cdk';
   * declare const spill: SpillBucket;
   * declare const workflow: lambda.Function;
   * spill.connectDurable(workflow);
   * ```
   */
  public connectDurable(fn: lambda.Function): iam.Grant {
    fn.addEnvironment(DURABLE_ENV.bucket, this.bucket.bucketName);
    fn.addEnvironment(DURABLE_ENV.prefix, this.durablePrefix);
    return this.grantDurable(fn);
  }

  /** The durable prefix's lifecycle rule, once. */
  private wireDurable(): void {
    if (this.durableWired) return;
    this.durableWired = true;
    this.addPrefixRule('ExpireDurableObjects', this.durablePrefix, this.durableExpiration, 'existing-bucket-durable',
      `keeps objects under "${this.durablePrefix}" as long as a durable execution lasts`);
  }

  /** Grant `actions` on `<prefix>*` (and `kmsActions` on the bucket's key), acknowledged for cdk-nag with `reason`. */
  private grantOnPrefix(
    grantee: iam.IGrantable,
    prefix: string,
    actions: readonly string[],
    kmsActions: readonly string[],
    reason: string,
  ): iam.Grant {
    const pattern = `${prefix}*`;
    let grant = iam.Grant.addToPrincipalOrResource({
      grantee,
      actions: [...actions],
      resourceArns: [this.bucket.arnForObjects(pattern)],
      resource: this.bucket,
    });
    if (this.encryptionKey !== undefined) grant = grant.combine(this.encryptionKey.grant(grantee, ...kmsActions));
    acknowledgePrefixWildcard(grantee, this.bucket, pattern, reason);
    return grant;
  }

  /** A lifecycle rule for a prefix on the bucket made here; on an existing bucket, a warning that says what it must do. */
  private addPrefixRule(id: string, prefix: string, expiration: Duration, warning: string, must: string): void {
    if (this.bucket instanceof s3.Bucket && this.bucket.node.scope === this) {
      this.bucket.addLifecycleRule({
        id,
        prefix,
        expiration,
        abortIncompleteMultipartUploadAfter: SPILL_BUCKET_FIXED_SETTINGS.abortIncompleteMultipartUploadAfter,
      });
    } else {
      Annotations.of(this).addWarningV2(`lambda-s3-spill:${warning}`, `SpillBucket uses an existing bucket: make sure it ${must}`);
    }
  }

  /**
   * Grant what signing upload forms (`createUpload()`) needs: `s3:PutObject` on
   * `<uploads prefix>*` only (the form carries the signer's permission), and
   * `kms:GenerateDataKey` on the bucket's KMS key when it has one.
   *
   * @param grantee - the function that hands out forms
   * @returns the grant
   * @throws SpillBucketPropsError when the bucket has no `uploads`
   * @example
   * ```ts
   * import type * as lambda from 'aws-cdk-lib/aws-lambda';
   * import type { SpillBucket } from 'lambda-s3-spill/cdk';
   * declare const spill: SpillBucket;
   * declare const formsFn: lambda.Function;
   * spill.grantUploadForms(formsFn);
   * ```
   */
  public grantUploadForms(grantee: iam.IGrantable): iam.Grant {
    return grantOnUploads(this.uploadsTarget(), grantee, UPLOAD_FORM_S3_ACTIONS, ['kms:GenerateDataKey']);
  }

  /**
   * Grant what reading uploads (`s3Uploads()`, `resolveUploads()`) needs:
   * `s3:GetObject` on `<uploads prefix>*` only (it covers `HeadObject`), and
   * `s3:DeleteObject` with `{ deleteAfter: true }`; `kms:Decrypt` on the
   * bucket's KMS key when it has one. No `s3:ListBucket`: a missing upload then
   * answers 403, which `s3Uploads` reports as not found.
   *
   * @param grantee - the function that receives references
   * @param options - `deleteAfter`: also `s3:DeleteObject` (for `s3Uploads({ deleteAfter: true })`)
   * @returns the grant
   * @throws SpillBucketPropsError when the bucket has no `uploads`
   * @example
   * ```ts
   * import type * as lambda from 'aws-cdk-lib/aws-lambda';
   * import type { SpillBucket } from 'lambda-s3-spill/cdk';
   * declare const spill: SpillBucket;
   * declare const apiFn: lambda.Function;
   * spill.grantUploadRead(apiFn, { deleteAfter: true });
   * ```
   */
  public grantUploadRead(grantee: iam.IGrantable, options: { readonly deleteAfter?: boolean } = {}): iam.Grant {
    const actions = options.deleteAfter ? [...UPLOAD_READ_S3_ACTIONS, ...UPLOADS_CONTRACT.deleteS3Actions] : UPLOAD_READ_S3_ACTIONS;
    return grantOnUploads(this.uploadsTarget(), grantee, actions, ['kms:Decrypt']);
  }

  /**
   * Grant what a producer with `largeMessagesPlugin()` needs: `s3:PutObject`
   * and `s3:AbortMultipartUpload` on `<messages prefix>*` only, and
   * `kms:GenerateDataKey` and `kms:Decrypt` on the bucket's KMS key when it has
   * one. Give the producer `S3_SPILL_BUCKET` and `S3_MESSAGES_PREFIX` too.
   *
   * @param grantee - the producer (a function, or any role that sends)
   * @returns the grant
   * @throws SpillBucketPropsError when the bucket has no `messages`
   * @example
   * ```ts
   * import type * as lambda from 'aws-cdk-lib/aws-lambda';
   * import type { SpillBucket } from 'lambda-s3-spill/cdk';
   * declare const spill: SpillBucket;
   * declare const producer: lambda.Function;
   * spill.grantMessagesWrite(producer);
   * producer.addEnvironment('S3_SPILL_BUCKET', spill.bucket.bucketName);
   * producer.addEnvironment('S3_MESSAGES_PREFIX', spill.messagesPrefix!);
   * ```
   */
  public grantMessagesWrite(grantee: iam.IGrantable): iam.Grant {
    return grantOnPrefix(this.bucket, this.messagesTarget(), grantee, MESSAGES_WRITE_S3_ACTIONS, MESSAGES_KMS_ACTIONS.write, MESSAGES_WILDCARD_REASON);
  }

  /**
   * Grant what a consumer with `largeMessages()` or `resolveLargeMessage()`
   * needs: `s3:GetObject` on `<messages prefix>*` only, with `s3:DeleteObject`
   * while `deleteAfterUse` is on (its default), and `kms:Decrypt` on the
   * bucket's KMS key when it has one. A producer that writes elsewhere (a Java
   * client with no key prefix writes at the bucket root) needs its own grant.
   *
   * @param grantee - the consumer
   * @param options - `deleteAfterUse` as the consumer is configured
   * @returns the grant
   * @throws SpillBucketPropsError when the bucket has no `messages`
   * @example
   * ```ts
   * import type * as lambda from 'aws-cdk-lib/aws-lambda';
   * import type { SpillBucket } from 'lambda-s3-spill/cdk';
   * declare const spill: SpillBucket;
   * declare const consumer: lambda.Function;
   * spill.grantMessagesRead(consumer);
   * consumer.addEnvironment('S3_SPILL_BUCKET', spill.bucket.bucketName);
   * ```
   */
  public grantMessagesRead(grantee: iam.IGrantable, options: { readonly deleteAfterUse?: boolean } = {}): iam.Grant {
    const actions = (options.deleteAfterUse ?? true) ? [...MESSAGES_READ_S3_ACTIONS, ...MESSAGES_CONTRACT.deleteS3Actions] : MESSAGES_READ_S3_ACTIONS;
    return grantOnPrefix(this.bucket, this.messagesTarget(), grantee, actions, MESSAGES_KMS_ACTIONS.read, MESSAGES_WILDCARD_REASON);
  }

  private messagesTarget(): string {
    if (this.messagesPrefix === undefined) {
      throw new SpillBucketPropsError('SpillBucket: grantMessagesWrite and grantMessagesRead need the messages prop');
    }
    return this.messagesPrefix;
  }

  /**
   * Grant what keeping uploads (`S3Upload.copyTo`: one server-side
   * `CopyObject`) needs: `s3:GetObject` on `<uploads prefix>*` (the copy
   * source) and `s3:PutObject` on `<destination prefix>*` in `bucket` (default:
   * this bucket); with KMS keys, `kms:Decrypt` on the uploads bucket's and
   * `kms:GenerateDataKey` on the destination bucket's. A copy with `Tagging`
   * also needs `s3:PutObjectTagging` (not granted here).
   *
   * @param grantee - the function that keeps uploads
   * @param destination - `{ prefix, bucket? }`: where the copies go
   * @returns the grant
   * @throws SpillBucketPropsError when the bucket has no `uploads`, or the
   *   prefix is not one (empty, a wildcard, ...) or, in this bucket, overlaps
   *   the uploads, spill, offload or messages prefix (their lifecycle rules would delete the copies)
   * @example
   * ```ts
   * import type * as lambda from 'aws-cdk-lib/aws-lambda';
   * import type * as s3 from 'aws-cdk-lib/aws-s3';
   * import type { SpillBucket } from 'lambda-s3-spill/cdk';
   * declare const spill: SpillBucket;
   * declare const apiFn: lambda.Function;
   * declare const archive: s3.IBucket;
   * spill.grantUploadKeep(apiFn, { prefix: 'photos/' }); // kept in the same bucket
   * spill.grantUploadKeep(apiFn, { bucket: archive, prefix: 'incoming/' }); // or in another
   * ```
   */
  public grantUploadKeep(grantee: iam.IGrantable, destination: UploadKeepDestination): iam.Grant {
    const target = this.uploadsTarget();
    checkPrefix(destination.prefix, 'grantUploadKeep prefix');
    const bucket = destination.bucket ?? this.bucket;
    if (bucket === this.bucket) {
      const others: NamedPrefix[] = [
        ['uploads', target.prefix],
        ['spill', this.prefix],
        ['offload', this.offloadPrefix],
        ['durable', this.durablePrefix],
        ['cache', this.cachePrefix],
        ['messages', this.messagesPrefix],
      ];
      checkPrefixApart(
        destination.prefix,
        others,
        (name, other) => `grantUploadKeep prefix "${destination.prefix}" overlaps the ${name} prefix "${other}" (its lifecycle rule would delete the copies)`,
      );
    }
    return grantKeepOnUploads(target, grantee, { bucket, prefix: destination.prefix });
  }

  private uploadsTarget(): { bucket: s3.IBucket; prefix: string } {
    if (this.uploadsPrefix === undefined) {
      throw new SpillBucketPropsError('SpillBucket: grantUploadForms, grantUploadRead and grantUploadKeep need the uploads prop');
    }
    return { bucket: this.bucket, prefix: this.uploadsPrefix };
  }

  private createBucket(props: SpillBucketProps): s3.Bucket {
    const encryption = props.encryption ?? (props.encryptionKey ? s3.BucketEncryption.KMS : SPILL_BUCKET_DEFAULTS.encryption);
    const removalPolicy = props.removalPolicy ?? SPILL_BUCKET_DEFAULTS.removalPolicy;
    const needsKey = encryption === s3.BucketEncryption.KMS || encryption === s3.BucketEncryption.DSSE;
    // Made here rather than by `Bucket`, whose own key has rotation off (AwsSolutions-KMS5).
    const encryptionKey =
      props.encryptionKey ??
      (needsKey
        ? new kms.Key(this, 'Key', {
            description: 'Encrypts the response bodies spilled by lambda-s3-spill',
            enableKeyRotation: true,
            removalPolicy,
          })
        : undefined);
    const { abortIncompleteMultipartUploadAfter, ...fixed } = SPILL_BUCKET_FIXED_SETTINGS;
    const bucket = new s3.Bucket(this, 'Bucket', {
      ...fixed,
      encryption,
      encryptionKey,
      // An S3 Bucket Key cuts KMS requests (and their cost) per object; DSSE has none.
      bucketKeyEnabled: encryption === s3.BucketEncryption.KMS || encryption === s3.BucketEncryption.KMS_MANAGED || undefined,
      removalPolicy,
      lifecycleRules: [
        {
          id: 'ExpireSpilledObjects',
          prefix: this.prefix,
          expiration: props.expiration ?? SPILL_BUCKET_DEFAULTS.expiration,
          abortIncompleteMultipartUploadAfter,
        },
        ...(props.uploads ? [uploadsLifecycleRule(props.uploads)] : []),
        ...(props.messages ? [messagesLifecycleRule(props.messages)] : []),
      ],
      cors: spillAndUploadsCors(
        props.corsAllowedOrigins?.length
        ? [
            {
              allowedMethods: [s3.HttpMethods.GET, s3.HttpMethods.HEAD],
              allowedOrigins: props.corsAllowedOrigins,
              allowedHeaders: [...(props.corsAllowedHeaders ?? SPILL_BUCKET_DEFAULTS.corsAllowedHeaders)],
              // Not CORS-safelisted, yet a page saving a download wants it.
              exposedHeaders: ['Content-Disposition'],
            },
          ]
        : undefined,
        props.uploads ? uploadsCorsRules(props.uploads) : [],
      ),
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: props.serverAccessLogsPrefix,
    });
    if (props.serverAccessLogsBucket === undefined) acknowledgeNoAccessLogs(bucket);
    return bucket;
  }
}

/** The spill CORS rule and the uploads one, in one list (S3 has one CORS configuration per bucket). */
function spillAndUploadsCors(spill: s3.CorsRule[] | undefined, uploads: s3.CorsRule[]): s3.CorsRule[] | undefined {
  const rules = [...(spill ?? []), ...uploads];
  return rules.length > 0 ? rules : undefined;
}
