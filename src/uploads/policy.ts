/**
 * The POST policy of an upload form: what S3 enforces on the browser's POST
 * (Amazon S3 API Reference, "Creating a POST policy"; `@aws-sdk/s3-presigned-post`
 * adds the bucket, the key and the signing fields itself, each as an exact
 * condition):
 * - the exact key (`{ key }`);
 * - the size: `["content-length-range", 1, maxBytes]`;
 * - the token, exact: `{ "x-amz-meta-upload-token": token }` (the reference's secret);
 * - the form's expiry, exact: `{ "x-amz-meta-upload-expires": "<epoch seconds>" }`,
 *   so `s3Uploads` can refuse an object written after it where the store did not;
 * - the content type: exact when given (`{ "Content-Type": type }`, and the
 *   field is in the form), `type/*` as `["starts-with", "$Content-Type", "type/"]`,
 *   and any (`["starts-with", "$Content-Type", ""]`) when not given; the client
 *   sets the field from the file in the last two cases. S3 refuses a form
 *   field that no condition names, so even "any" must be a condition.
 *
 * @module uploads/policy
 */

/** The object's metadata name of the token (as S3 returns it in `Metadata`). */
export const TOKEN_METADATA = 'upload-token';
/** The object's metadata name of the form's expiry, in epoch seconds. */
export const EXPIRES_METADATA = 'upload-expires';
/** Metadata field of the token in the form. */
export const TOKEN_FIELD = `x-amz-meta-${TOKEN_METADATA}`;
/** Metadata field of the form's expiry in the form. */
export const EXPIRES_FIELD = `x-amz-meta-${EXPIRES_METADATA}`;

/** A content type pattern: `type/subtype`, or `type/*`. */
const CONTENT_TYPE_PATTERN = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/(\*|[a-z0-9][a-z0-9!#$&^_.+-]*)$/;

/**
 * Why a content type pattern is not one (`type/subtype` or `type/*`, lower case), or `undefined`.
 */
export function contentTypePatternProblem(pattern: unknown): string | undefined {
  if (typeof pattern !== 'string' || !CONTENT_TYPE_PATTERN.test(pattern)) {
    return 'must be a lower-case media type "type/subtype" or "type/*"';
  }
  return undefined;
}

/**
 * Whether a `Content-Type` value is allowed by a pattern: the media type
 * (parameters dropped, lower case) equals it, or starts with `type/` for `type/*`.
 */
export function contentTypeAllowed(contentType: string | undefined, pattern: string): boolean {
  if (contentType === undefined) return false;
  const media = contentType.split(';', 1)[0]!.trim().toLowerCase();
  if (pattern.endsWith('/*')) return media.startsWith(pattern.slice(0, -1)) && media.length > pattern.length - 1;
  return media === pattern;
}

/** What the form needs besides what the SDK adds. */
export interface UploadPolicyInput {
  readonly maxBytes: number;
  readonly token: string;
  /** The form's expiry, epoch seconds. */
  readonly expiresAtSeconds: number;
  readonly contentType?: string;
}

/** The `Fields` and `Conditions` given to `createPresignedPost`. */
export interface UploadPolicyParts {
  readonly fields: Record<string, string>;
  readonly conditions: (Record<string, string> | ['starts-with', string, string] | ['content-length-range', number, number])[];
}

/** The fields and conditions of {@link UploadPolicyInput}, as described above. */
export function uploadPolicyParts(input: UploadPolicyInput): UploadPolicyParts {
  const fields: Record<string, string> = {
    [TOKEN_FIELD]: input.token,
    [EXPIRES_FIELD]: String(input.expiresAtSeconds),
  };
  const conditions: UploadPolicyParts['conditions'] = [['content-length-range', 1, input.maxBytes]];
  if (input.contentType === undefined) conditions.push(['starts-with', '$Content-Type', '']);
  else if (input.contentType.endsWith('/*')) conditions.push(['starts-with', '$Content-Type', input.contentType.slice(0, -1)]);
  else fields['Content-Type'] = input.contentType;
  return { fields, conditions };
}
