/**
 * The upload reference: what `createUpload` hands the client and the client
 * sends back, `s3up1.<bucket>.<key>.<token>` with each part base64url. The
 * bucket and the key say where the object is; the token is the secret (256
 * random bits) that the form's POST policy pins as the object's
 * `x-amz-meta-upload-token` and that `s3Uploads` compares in its `HeadObject`.
 * Keys are logged and listed; the token never is, so a key alone reads nothing,
 * and a reference made up for an existing key is refused.
 *
 * Parsing is strict (canonical base64url only), so one object has exactly one
 * reference text.
 *
 * @module uploads/reference
 */

/** What every reference starts with; a string field that starts with it is treated as a reference. */
export const UPLOAD_REFERENCE_MARKER = 's3up1.';

/** Bytes of randomness in a token. */
const TOKEN_BYTES = 32;

/** A token is 43 base64url characters (32 bytes). */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The longest reference text read (bucket 63 + key 1,024 bytes, base64url, and the rest). */
export const UPLOAD_REFERENCE_MAX_LENGTH = 1600;

/** What a reference says. */
export interface UploadReferenceParts {
  readonly bucket: string;
  readonly key: string;
  readonly token: string;
}

/** A new random token (base64url, 43 characters). */
export function newUploadToken(): string {
  return process.getBuiltinModule('node:crypto').randomBytes(TOKEN_BYTES).toString('base64url');
}

/** The reference text of an upload. */
export function formatUploadReference(parts: UploadReferenceParts): string {
  const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
  return `${UPLOAD_REFERENCE_MARKER}${b64(parts.bucket)}.${b64(parts.key)}.${parts.token}`;
}

/** Whether a value is meant as a reference (a string with the marker). */
export function looksLikeUploadReference(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(UPLOAD_REFERENCE_MARKER);
}

/**
 * Read a reference, or say why it cannot be read.
 *
 * @returns the parts, or a problem for the logs (never containing the token)
 */
export function parseUploadReference(text: string): UploadReferenceParts | { problem: string } {
  if (text.length > UPLOAD_REFERENCE_MAX_LENGTH) return { problem: 'reference is too long' };
  if (!text.startsWith(UPLOAD_REFERENCE_MARKER)) return { problem: 'not an upload reference' };
  const parts = text.slice(UPLOAD_REFERENCE_MARKER.length).split('.');
  if (parts.length !== 3) return { problem: 'reference does not have three parts' };
  const [bucketPart, keyPart, token] = parts as [string, string, string];
  const bucket = strictBase64UrlText(bucketPart);
  const key = strictBase64UrlText(keyPart);
  if (bucket === undefined || bucket === '') return { problem: 'reference bucket is not canonical base64url UTF-8' };
  if (key === undefined || key === '') return { problem: 'reference key is not canonical base64url UTF-8' };
  if (!TOKEN.test(token) || Buffer.from(token, 'base64url').toString('base64url') !== token) {
    return { problem: 'reference token is malformed' };
  }
  return { bucket, key, token };
}

function strictBase64UrlText(part: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return undefined;
  const bytes = Buffer.from(part, 'base64url');
  if (bytes.toString('base64url') !== part) return undefined;
  const text = bytes.toString('utf8');
  // Invalid UTF-8 becomes U+FFFD: refuse it, the key would not be the one signed.
  if (Buffer.from(text, 'utf8').compare(bytes) !== 0) return undefined;
  return text;
}
