/**
 * Object keys: the key prefix, a UTC timestamp that sorts by date, and a random
 * UUID v4 (122 random bits from `crypto.randomUUID`), so keys are never
 * guessable and never hold request text unless a user's key function puts it
 * there; and the rules every key and prefix is checked against, by every
 * utility: when it writes a key, and when it reads one a reference names.
 *
 * @module s3/keys
 */
import { S3_KEY_MAX_BYTES } from '../limits.js';

/**
 * The default key after the prefix: `20261121T051000123Z-<uuid v4>`.
 *
 * @param now - the time to stamp
 * @returns the part of the key after the key prefix
 */
export function defaultKey(now: Date = new Date()): string {
  // node:crypto on first use: a static import loads it at every cold start (about as long as the rest of the library).
  return `${now.toISOString().replace(/[-:.]/g, '')}-${process.getBuiltinModule('node:crypto').randomUUID()}`;
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

/**
 * Why a key prefix that keys from references are checked against may not be
 * one: those of {@link keyPrefixProblem}, and no `\` or empty segment (`//`),
 * which a reference's key could not be compared with as S3 reads it.
 */
export function readPrefixProblem(prefix: string): string | undefined {
  return (
    keyPrefixProblem(prefix) ??
    (prefix.includes('\\') ? 'must not contain "\\"' : prefix.includes('//') ? 'must not contain an empty segment ("//")' : undefined)
  );
}

/**
 * Why a key named by a reference (an offload reference, an upload reference)
 * may not be read under `keyPrefix`, or `undefined` when it may. The key is
 * read as S3, and every URL parser on the way, will read it: the SDK sends it
 * in the request path, where `.` and `..` segments are removed (RFC 3986
 * remove_dot_segments) and a `\` counts as `/`, so `uploads/../secret/x`
 * would reach S3 as `secret/x`, outside the prefix. So: well-formed UTF-16,
 * no control character, no `\`, at most 1,024 UTF-8 bytes, under the prefix
 * and longer than it, no `.`, `..` or empty segment anywhere (a `..` inside the
 * prefix's own text could climb out once a parser normalizes it).
 *
 * @param key - the key the reference names
 * @param keyPrefix - the configured prefix
 * @returns the problem (`'is not under the key prefix'`), or `undefined`
 */
export function readKeyProblem(key: string, keyPrefix: string): string | undefined {
  if (!(key as unknown as { isWellFormed(): boolean }).isWellFormed()) return 'is not well-formed UTF-16';
  if (CONTROL_CHARACTERS.test(key)) return 'has a control character';
  if (key.includes('\\')) return 'has a backslash';
  if (Buffer.byteLength(key, 'utf8') > S3_KEY_MAX_BYTES) return `is over ${S3_KEY_MAX_BYTES} bytes`;
  if (!key.startsWith(keyPrefix)) return 'is not under the key prefix';
  if (key.length === keyPrefix.length) return 'is the key prefix itself';
  const segments = key.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return 'has a "." or ".." segment';
  if (segments.some((s) => s === '')) return 'has an empty segment';
  return undefined;
}
