/**
 * Upload keys: made by `createUpload` (the prefix, a UTC timestamp and a random
 * UUID v4, 122 random bits, as the spill keys), and read back from a reference
 * with the one check of a reference's key (`s3/keys.ts`).
 *
 * @module uploads/key
 */
import { defaultKey, readKeyProblem } from '../s3/keys.js';

/** The part after the prefix that `createUpload` makes: `20261121T051000123Z-<uuid v4>`. */
const UPLOAD_KEY_SUFFIX = /^\d{8}T\d{9}Z-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * A new upload key under `prefix`.
 *
 * @param prefix - the uploads prefix (checked at creation)
 * @param now - the time to stamp
 */
export function newUploadKey(prefix: string, now: Date = new Date()): string {
  return `${prefix}${defaultKey(now)}`;
}

/**
 * Why a key from a reference may not be read, or `undefined` when it may: the
 * checks every reference's key gets (`readKeyProblem`: under the prefix, as S3
 * will see it), and it must be a key `createUpload` makes (the prefix, then a
 * timestamp and a UUID v4).
 *
 * @param key - the key the reference names
 * @param prefix - the configured uploads prefix
 */
export function uploadKeyProblem(key: string, prefix: string): string | undefined {
  const problem = readKeyProblem(key, prefix);
  if (problem !== undefined) return `key ${problem}`;
  if (!UPLOAD_KEY_SUFFIX.test(key.slice(prefix.length))) return 'key is not one createUpload makes';
  return undefined;
}
