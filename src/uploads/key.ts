/**
 * Upload keys: made by `createUpload` (the prefix, a UTC timestamp and a random
 * UUID v4, 122 random bits, as the spill keys), and read back from a reference
 * as S3 will see them.
 *
 * Why "as S3 will see it": the SDK sends the key in the request path, and a
 * path with `.` or `..` segments is normalized on the way (RFC 3986
 * remove_dot_segments, what WHATWG URL parsers do; a `\` counts as `/` in an
 * http URL), so `uploads/../secret/x` would reach S3 as `secret/x`, outside
 * the prefix. The check is done on the normalized key, and a key whose
 * normalized form differs from itself is refused outright.
 *
 * @module uploads/key
 */
import { defaultKey, keyProblem } from '../s3/keys.js';

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
 * The key as S3 receives it once the request path is normalized: `\` read as
 * `/`, then `.` and `..` segments removed (RFC 3986 section 5.2.4).
 *
 * @param key - an object key
 * @returns the key S3 would act on (no leading `/`)
 */
export function keyAsS3SeesIt(key: string): string {
  const input = key.replace(/\\/g, '/').split('/');
  const output: string[] = [];
  for (let i = 0; i < input.length; i++) {
    const segment = input[i]!;
    const last = i === input.length - 1;
    if (segment === '..') {
      output.pop();
      if (last) output.push('');
    } else if (segment === '.') {
      if (last) output.push('');
    } else {
      output.push(segment);
    }
  }
  return output.join('/').replace(/^\/+/, '');
}

/**
 * Why a key from a reference may not be read, or `undefined` when it may: it
 * must be a key `createUpload` makes under `prefix` (the prefix, then a
 * timestamp and a UUID v4), S3 must see the same key (no `.`/`..` segment,
 * no `\`), and it must follow the general key rules.
 *
 * @param key - the key the reference names
 * @param prefix - the configured uploads prefix
 */
export function uploadKeyProblem(key: string, prefix: string): string | undefined {
  const general = keyProblem(key);
  if (general !== undefined) return `key ${general}`;
  if (key.includes('\\')) return 'key must not contain "\\"';
  const seen = keyAsS3SeesIt(key);
  if (seen !== key) return 'key is not the key S3 would see after path normalization';
  if (!seen.startsWith(prefix)) return 'key is not under the uploads prefix';
  if (!UPLOAD_KEY_SUFFIX.test(seen.slice(prefix.length))) return 'key is not one createUpload makes';
  return undefined;
}
