/**
 * The uploads part of `SpillBucket` (the request side, `createUpload` /
 * `s3Uploads`): its props, their checks, the lifecycle and CORS rules, and the
 * grants. Kept apart from the spill part so each can change alone.
 *
 * @module uploads
 */
import { Duration, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { UPLOADS_CONTRACT } from '../src/contract.js';
import { SpillBucketPropsError } from './errors.js';
import { grantOnPrefix } from './prefix-grant.js';
import { checkPrefix, checkPrefixApart, checkWholeDays } from './validate-props.js';

/**
 * The uploads prefix of a `SpillBucket`: where browsers POST files with the
 * forms of `createUpload()`.
 *
 * @example
 * ```ts
 * import { Duration, Stack } from 'aws-cdk-lib';
 * import { SpillBucket, type SpillUploadsProps } from 'lambda-s3-spill/cdk';
 * declare const stack: Stack;
 * const uploads: SpillUploadsProps = { corsAllowedOrigins: ['https://app.example.com'], expiration: Duration.days(1) };
 * new SpillBucket(stack, 'Spill', { uploads });
 * ```
 */
export interface SpillUploadsProps {
  /**
   * Key prefix of the uploads (`S3_SPILL_UPLOAD_PREFIX`, the `keyPrefix` of
   * `createUpload` and `s3Uploads`): its own lifecycle rule and grants. The
   * same rules as the spill `prefix`, and no `\` or empty segment (`//`), as
   * `s3Uploads` checks a prefix it reads references under; it must not overlap
   * the spill prefix (neither may start with the other).
   * @default 'uploads/'
   */
  readonly prefix?: string;
  /**
   * How long uploads are kept (whole days, at least one): what `s3Uploads`
   * does not delete (`deleteAfter: false`, or never used) the rule removes.
   * Not allowed with an existing `bucket`.
   * @default Duration.days(1)
   */
  readonly expiration?: Duration;
  /**
   * Origins of the pages that POST files: a CORS rule allowing POST from them
   * (the form's POST is a CORS request from the page's origin; it sends no
   * credentials). Not allowed with an existing `bucket`.
   * @default - no CORS rule: only non-browser clients can POST
   */
  readonly corsAllowedOrigins?: string[];
}

/** The props `SpillBucket` takes for uploads (part of `SpillBucketProps`). */
export interface SpillBucketUploadsProps {
  /**
   * An uploads prefix for the request side (`createUpload` / `s3Uploads`): its
   * own lifecycle rule, a CORS rule allowing POST from the given origins, and
   * the grants `grantUploadForms` / `grantUploadRead`. With an existing
   * `bucket`, only its `prefix` (for the grants).
   * @default - no uploads
   */
  readonly uploads?: SpillUploadsProps;
}

/** Defaults of {@link SpillUploadsProps}. */
export const SPILL_UPLOADS_DEFAULTS = {
  /** Key prefix of the uploads (the default of `createUpload`'s `keyPrefix`). */
  prefix: UPLOADS_CONTRACT.defaultPrefix,
  /** Uploads are deleted a day after they were stored (the uploads prefix's lifecycle rule). */
  expiration: Duration.days(1),
  /** No POST CORS rule: forms are posted from the API's own origin, or list the pages' origins. */
  corsAllowedOrigins: undefined,
} as const;

/**
 * S3 actions of the function that signs forms: `PutObject` on the uploads
 * prefix (a POST form carries the signer's permission; Amazon S3 User Guide,
 * "Browser-based uploads using POST").
 */
export const UPLOAD_FORM_S3_ACTIONS: readonly string[] = UPLOADS_CONTRACT.formS3Actions;

/**
 * S3 actions of the function that reads uploads: `GetObject` (it also
 * authorizes `HeadObject`), and `DeleteObject` with `deleteAfter`.
 */
export const UPLOAD_READ_S3_ACTIONS: readonly string[] = UPLOADS_CONTRACT.readS3Actions;

/**
 * S3 actions of the function that keeps uploads (`S3Upload.copyTo`, one
 * `CopyObject`) on the uploads prefix, the copy source: `GetObject` (Amazon S3
 * API Reference, "CopyObject", Permissions: `s3:GetObject` on the source).
 */
export const UPLOAD_KEEP_SOURCE_S3_ACTIONS: readonly string[] = ['s3:GetObject'];

/**
 * S3 actions of the function that keeps uploads on the destination prefix:
 * `PutObject` (Amazon S3 API Reference, "CopyObject", Permissions:
 * `s3:PutObject` on the destination).
 */
export const UPLOAD_KEEP_DESTINATION_S3_ACTIONS: readonly string[] = ['s3:PutObject'];

/** Why the keep grant's destination ends in a wildcard (AwsSolutions-IAM5). */
export const UPLOAD_KEEP_WILDCARD_REASON =
  'The wildcard is the destination prefix of kept uploads: the function chooses each kept key at run time ' +
  '(S3Upload.copyTo), so no fixed ARN can name it. The statement allows only s3:PutObject, and only under that prefix.';

/** Where kept uploads go (`SpillBucket.grantUploadKeep`). */
export interface UploadKeepDestination {
  /**
   * The bucket of the copies.
   * @default - the SpillBucket's bucket
   */
  readonly bucket?: s3.IBucket;
  /**
   * Key prefix of the copies: the grant is `s3:PutObject` on `<prefix>*`. The
   * same rules as the spill `prefix` (at most 1,024 UTF-8 bytes, no leading
   * `/`, no `.` or `..` segment, no control character, not empty, no `*`, `?`
   * or `${`); in the SpillBucket's bucket, apart from the uploads, spill,
   * offload, durable, cache and messages prefixes, whether or not those are in
   * use yet (their lifecycle rules, added on first use, would delete the copies).
   */
  readonly prefix: string;
}

/**
 * Grant keeping uploads: `s3:GetObject` on the uploads prefix (with
 * `kms:Decrypt` on its bucket's key), `s3:PutObject` on the destination prefix
 * (with `kms:GenerateDataKey` on its bucket's key), each wildcard acknowledged.
 */
export function grantKeepOnUploads(
  target: UploadsGrantTarget,
  grantee: iam.IGrantable,
  destination: { readonly bucket: s3.IBucket; readonly prefix: string },
): iam.Grant {
  const read = grantOnUploads(target, grantee, UPLOAD_KEEP_SOURCE_S3_ACTIONS, ['kms:Decrypt']);
  const write = grantOnUploads(destination, grantee, UPLOAD_KEEP_DESTINATION_S3_ACTIONS, ['kms:GenerateDataKey'], UPLOAD_KEEP_WILDCARD_REASON);
  return read.combine(write);
}

/** Why the uploads grants end in a wildcard (AwsSolutions-IAM5). */
export const UPLOADS_WILDCARD_REASON =
  'The wildcard is the uploads prefix: createUpload() makes one key per form at run time (<prefix><timestamp>-<uuid>), ' +
  'so no fixed ARN can name it. The statement allows only the upload actions (s3:PutObject to sign forms; ' +
  's3:GetObject, and s3:DeleteObject with deleteAfter, to read them), and only under that prefix.';

/**
 * Check the uploads props at construction.
 *
 * @throws SpillBucketPropsError naming the prop
 */
export function validateUploadsProps(uploads: SpillUploadsProps, spillPrefix: string, existingBucket: boolean): void {
  const prefix = uploads.prefix ?? SPILL_UPLOADS_DEFAULTS.prefix;
  checkPrefix(prefix, 'uploads.prefix');
  checkPrefixApart(prefix, [['spill', spillPrefix]], (name, other) => `uploads.prefix "${prefix}" overlaps the ${name} prefix "${other}" (grants and lifecycle rules would cover both)`);
  if (existingBucket && (uploads.expiration !== undefined || uploads.corsAllowedOrigins !== undefined)) {
    throw new SpillBucketPropsError('SpillBucket: with an existing bucket, uploads takes only a prefix');
  }
  checkWholeDays('uploads.expiration', uploads.expiration);
  if (uploads.corsAllowedOrigins !== undefined && !Token.isUnresolved(uploads.corsAllowedOrigins) && uploads.corsAllowedOrigins.length === 0) {
    throw new SpillBucketPropsError('SpillBucket: uploads.corsAllowedOrigins must not be empty; leave it out for no CORS rule');
  }
}

/** The lifecycle rule of the uploads prefix. */
export function uploadsLifecycleRule(uploads: SpillUploadsProps): s3.LifecycleRule {
  return {
    id: 'ExpireUploads',
    prefix: uploads.prefix ?? SPILL_UPLOADS_DEFAULTS.prefix,
    expiration: uploads.expiration ?? SPILL_UPLOADS_DEFAULTS.expiration,
    abortIncompleteMultipartUploadAfter: Duration.days(1),
  };
}

/** The CORS rule that lets pages POST forms, or none. */
export function uploadsCorsRules(uploads: SpillUploadsProps): s3.CorsRule[] {
  if (!uploads.corsAllowedOrigins?.length) return [];
  return [
    {
      id: 'UploadForms',
      allowedMethods: [s3.HttpMethods.POST],
      allowedOrigins: uploads.corsAllowedOrigins,
      // A multipart/form-data POST with no custom header sends no preflight; a page that adds headers still works.
      allowedHeaders: ['*'],
      exposedHeaders: ['ETag'],
    },
  ];
}

/** What a grant of the uploads needs to know about the bucket. */
export interface UploadsGrantTarget {
  readonly bucket: s3.IBucket;
  readonly prefix: string;
}

/**
 * Grant `actions` on `<prefix>*`, with `kmsActions` on the bucket's key when it
 * has one, and acknowledge the prefix wildcard (AwsSolutions-IAM5, this resource only, with `reason`).
 */
export function grantOnUploads(
  target: UploadsGrantTarget,
  grantee: iam.IGrantable,
  actions: readonly string[],
  kmsActions: readonly string[],
  reason: string = UPLOADS_WILDCARD_REASON,
): iam.Grant {
  return grantOnPrefix(target.bucket, target.prefix, grantee, actions, kmsActions, reason);
}
