/**
 * Object keys: the key prefix, a UTC timestamp that sorts by date, and a random
 * UUID v4 (122 random bits from `crypto.randomUUID`), so keys are never
 * guessable and never hold request text unless a user's key function puts it there.
 *
 * @module object-key
 */
import { randomUUID } from 'node:crypto';
import { S3_KEY_MAX_BYTES } from './limits.js';

/**
 * The default key after the prefix: `20261121T051000123Z-<uuid v4>`.
 *
 * @param now - the time to stamp
 * @returns the part of the key after the key prefix
 * @example
 * ```ts
 * import { defaultKey } from 'lambda-s3-spill';
 * defaultKey(new Date('2026-11-21T05:10:00.123Z')).startsWith('20261121T051000123Z-'); // true
 * ```
 */
export function defaultKey(now: Date = new Date()): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${randomUUID()}`;
}

/**
 * Check a key prefix: at most 1,024 UTF-8 bytes, no leading `/`, no `..` or `.` segment.
 *
 * @throws TypeError naming `option`
 */
export function checkKeyPrefix(prefix: string, option = 'keyPrefix'): void {
  checkKeyText(prefix, option);
}

/**
 * Check a whole object key (prefix + suffix) built with a user's key function.
 *
 * @throws TypeError naming `option`
 */
export function checkKey(key: string, option = 'key'): void {
  if (key.length === 0) throw new TypeError(`${option} must not be empty`);
  checkKeyText(key, option);
}

function checkKeyText(text: string, option: string): void {
  if (text.startsWith('/')) throw new TypeError(`${option} must not start with "/"`);
  const segments = text.split('/');
  if (segments.includes('..')) throw new TypeError(`${option} must not contain a ".." segment`);
  // A "." segment is removed by URL parsers (WHATWG URL, fetch, curl), so the presigned URL would name another key.
  if (segments.includes('.')) throw new TypeError(`${option} must not contain a "." segment`);
  if (Buffer.byteLength(text, 'utf8') > S3_KEY_MAX_BYTES) {
    throw new TypeError(`${option} must be at most ${S3_KEY_MAX_BYTES} bytes (UTF-8)`);
  }
}
