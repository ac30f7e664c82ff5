/**
 * Object keys: the key prefix, a UTC timestamp that sorts by date, and a random
 * UUID v4 (122 random bits from `crypto.randomUUID`), so keys are never
 * guessable and never hold request text unless a user's key function puts it
 * there; and the rules every key and prefix is checked against.
 *
 * @module storage/object-key
 */
import { randomUUID } from 'node:crypto';
import { S3_KEY_MAX_BYTES } from '../limits.js';

/**
 * The default key after the prefix: `20261121T051000123Z-<uuid v4>`.
 *
 * @param now - the time to stamp
 * @returns the part of the key after the key prefix
 */
export function defaultKey(now: Date = new Date()): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${randomUUID()}`;
}

/** C0 controls and DEL: never in a key (they would reach logs, URLs and headers). */
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/**
 * Why a key prefix breaks the rules: at most 1,024 UTF-8 bytes, no leading `/`,
 * no `..` or `.` segment, no control character (U+0000-U+001F, U+007F).
 *
 * @returns the problem (`'must not start with "/"'`), or `undefined`
 */
export function keyPrefixProblem(prefix: string): string | undefined {
  return keyTextProblem(prefix);
}

/**
 * Why a whole object key (prefix + suffix) breaks the rules: those of
 * {@link keyPrefixProblem}, and not empty.
 *
 * @returns the problem, or `undefined`
 */
export function keyProblem(key: string): string | undefined {
  return key.length === 0 ? 'must not be empty' : keyTextProblem(key);
}

function keyTextProblem(text: string): string | undefined {
  if (text.startsWith('/')) return 'must not start with "/"';
  if (CONTROL_CHARACTERS.test(text)) return 'must not contain control characters (U+0000-U+001F, U+007F)';
  const segments = text.split('/');
  if (segments.includes('..')) return 'must not contain a ".." segment';
  // A "." segment is removed by URL parsers (WHATWG URL, fetch, curl), so the presigned URL would name another key.
  if (segments.includes('.')) return 'must not contain a "." segment';
  if (Buffer.byteLength(text, 'utf8') > S3_KEY_MAX_BYTES) return `must be at most ${S3_KEY_MAX_BYTES} bytes (UTF-8)`;
  return undefined;
}
