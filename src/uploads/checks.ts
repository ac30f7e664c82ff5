/**
 * The checks of a stored upload against what the API accepts, on the answer of
 * `HeadObject`, before anything is read. Pure: the I/O is in `resolve.ts`.
 *
 * @module uploads/checks
 */
import { contentTypeAllowed, EXPIRES_METADATA, TOKEN_METADATA } from './policy.js';

/** What `HeadObject` said, as the checks read it. */
export interface StoredUpload {
  readonly size: number;
  readonly contentType: string | undefined;
  readonly etag: string | undefined;
  readonly lastModified: Date | undefined;
  /** The object's metadata, names lower case without `x-amz-meta-`. */
  readonly metadata: Record<string, string>;
}

/** What the API accepts. */
export interface UploadExpectations {
  readonly token: string;
  readonly maxBytes: number;
  /** Allowed content types (`type/subtype`, `type/*`); `undefined`: any. */
  readonly contentTypes: readonly string[] | undefined;
  /** Seconds an object may be written after its form expired (transfer time, clocks). */
  readonly expiryGraceSeconds: number;
}

/** Why an upload is refused: the client-safe message, and the detail for the logs. */
export interface UploadProblem {
  readonly message: string;
  readonly detail: string;
}

/**
 * Why the stored object may not be used, or `undefined` when it may.
 * Order: the token first (a made-up reference learns nothing about the object).
 */
export function storedUploadProblem(stored: StoredUpload, expected: UploadExpectations): UploadProblem | undefined {
  const token = stored.metadata[TOKEN_METADATA];
  if (token === undefined || !sameSecret(token, expected.token)) {
    return { message: 'The upload reference is not valid', detail: 'the object does not carry the reference token' };
  }
  const expires = Number(stored.metadata[EXPIRES_METADATA]);
  if (!Number.isInteger(expires)) {
    return { message: 'The upload reference is not valid', detail: 'the object carries no form expiry' };
  }
  if (stored.lastModified !== undefined && stored.lastModified.getTime() > (expires + expected.expiryGraceSeconds) * 1000) {
    return {
      message: 'The upload arrived after its form expired',
      detail: `object written at ${stored.lastModified.toISOString()}, form expired at ${new Date(expires * 1000).toISOString()}`,
    };
  }
  if (!Number.isSafeInteger(stored.size) || stored.size < 1) {
    return { message: 'The upload is empty', detail: `object size ${stored.size}` };
  }
  if (stored.size > expected.maxBytes) {
    return { message: 'The upload is too large', detail: `object size ${stored.size} > maxBytes ${expected.maxBytes}` };
  }
  if (expected.contentTypes !== undefined && !expected.contentTypes.some((p) => contentTypeAllowed(stored.contentType, p))) {
    return {
      message: 'The upload has a content type that is not accepted',
      detail: `object content type ${JSON.stringify(stored.contentType ?? null)} not in ${JSON.stringify(expected.contentTypes)}`,
    };
  }
  return undefined;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && process.getBuiltinModule('node:crypto').timingSafeEqual(x, y);
}
