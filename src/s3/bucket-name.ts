/**
 * S3 general purpose bucket naming rules, checked for the `bucket` option and
 * for what a per-request bucket function returns. Access point ARNs pass.
 *
 * Source: Amazon S3 User Guide, "General purpose bucket naming rules".
 *
 * @module bucket-name
 */

/** 3 to 63 characters: lower-case letters, digits, dots and hyphens; a letter or digit at each end. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}$/;
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--table-s3'];

/**
 * Why a bucket name breaks the rules, or `undefined` when it follows them.
 *
 * @param name - a bucket name
 */
export function bucketNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return 'must be a string';
  // Access point and Outposts ARNs are valid `Bucket` values for the SDK.
  if (/^arn:aws[a-z-]*:s3(-outposts|-object-lambda)?:/.test(name)) return undefined;
  if (!BUCKET_NAME.test(name)) {
    return 'must be 3 to 63 lower-case letters, digits, dots or hyphens, beginning and ending with a letter or digit';
  }
  if (name.includes('..')) return 'must not contain two adjacent dots';
  if (IP_ADDRESS.test(name)) return 'must not be formatted as an IP address';
  if (RESERVED_PREFIXES.some((p) => name.startsWith(p))) return 'must not begin with a reserved prefix';
  if (RESERVED_SUFFIXES.some((s) => name.endsWith(s))) return 'must not end with a reserved suffix';
  return undefined;
}
